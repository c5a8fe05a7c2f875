using System.Text.Json;
using Acorn.Contexts.Testing.Linearizability;

namespace Acorn.Contexts.Tests;

/// <summary>
/// The history checker accepts linearizable histories, across deletes and creates of one id, and names each kind of
/// violation (the ABA of a version kept from a deleted incarnation among them): a checker that never fails checks nothing.
/// </summary>
public sealed class HistoryCheckerTests
{
    private static HistoryEntry Op(
        HistoryOperation operation, long invoked, long responded, long version, string? tag = null, long? expected = null, bool refused = false) =>
        new("c", operation, invoked, responded, version,
            refused ? null : JsonSerializer.SerializeToElement(new { tag = tag ?? $"v{version}" }), expected,
            refused ? HistoryOutcome.Conflict : HistoryOutcome.Done);

    private static HistoryEntry Missing(HistoryOperation operation, long invoked, long responded) =>
        new("c", operation, invoked, responded, 0, null, null, HistoryOutcome.NotFound);

    private static HistoryEntry Exists(long invoked, long responded) =>
        new("c", HistoryOperation.Create, invoked, responded, 0, null, null, HistoryOutcome.AlreadyExists);

    private static HistoryEntry Create => Op(HistoryOperation.Create, 1, 2, 1);

    [Fact]
    public void A_Sequential_History_Passes()
    {
        Assert.Empty(HistoryChecker.Check(
        [
            Create,
            Op(HistoryOperation.CompareAndSet, 3, 4, 2, expected: 1),
            Op(HistoryOperation.Read, 5, 6, 2),
            Op(HistoryOperation.BlindWrite, 7, 8, 3),
            Op(HistoryOperation.CompareAndSet, 9, 10, 3, expected: 2, refused: true),
            Op(HistoryOperation.ReadModifyWrite, 11, 12, 4),
            Op(HistoryOperation.Read, 13, 14, 4),
        ]));
    }

    [Fact]
    public void Reads_Overlapping_A_Write_May_See_Either_Version()
    {
        Assert.Empty(HistoryChecker.Check(
        [
            Create,
            Op(HistoryOperation.BlindWrite, 3, 8, 2),
            Op(HistoryOperation.Read, 4, 5, 1),
            Op(HistoryOperation.Read, 6, 7, 2),
        ]));
    }

    [Fact]
    public void Two_Acknowledged_Writes_At_One_Version_Fail() =>
        AssertViolation("two acknowledged writes at version 2",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2, "a"), Op(HistoryOperation.BlindWrite, 5, 6, 2, "b"));

    [Fact]
    public void A_Gap_In_The_Written_Versions_Fails() =>
        AssertViolation("none produced version 2", Create, Op(HistoryOperation.BlindWrite, 3, 4, 3));

    [Fact]
    public void A_Read_Invoked_After_A_Write_Answered_That_Shows_An_Older_Version_Fails() =>
        AssertViolation("observed an older version",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2), Op(HistoryOperation.Read, 5, 6, 1));

    [Fact]
    public void A_Write_Invoked_After_A_Read_Answered_That_Does_Not_Go_Past_It_Fails() =>
        AssertViolation("observed an older version",
            Create, Op(HistoryOperation.BlindWrite, 3, 10, 3), Op(HistoryOperation.Read, 4, 5, 3), Op(HistoryOperation.BlindWrite, 6, 7, 2));

    [Fact]
    public void A_Read_Of_A_Version_Whose_Write_Began_Later_Fails() =>
        AssertViolation("before its write",
            Create, Op(HistoryOperation.Read, 3, 4, 2), Op(HistoryOperation.BlindWrite, 5, 6, 2));

    [Fact]
    public void A_Read_Of_A_Version_Nobody_Wrote_Fails() =>
        AssertViolation("which no acknowledged write produced", Create, Op(HistoryOperation.Read, 3, 4, 7));

    [Fact]
    public void A_Read_Showing_Other_Data_Than_Its_Version_s_Write_Fails() =>
        AssertViolation("observed data",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2, "written"), Op(HistoryOperation.Read, 5, 6, 2, "other"));

    [Fact]
    public void A_Compare_And_Set_Refused_At_Its_Expected_Version_Fails() =>
        AssertViolation("refused although", Create, Op(HistoryOperation.CompareAndSet, 3, 4, 1, expected: 1, refused: true));

    [Fact]
    public void A_Compare_And_Set_Written_At_Another_Version_Than_Expected_Plus_One_Fails() =>
        AssertViolation("other than expected + 1",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2), Op(HistoryOperation.CompareAndSet, 5, 6, 3, expected: 1));

    [Fact]
    public void Incarnations_Deleted_And_Created_Again_Above_Every_Earlier_Version_Pass()
    {
        Assert.Empty(HistoryChecker.Check(
        [
            Create,
            Op(HistoryOperation.BlindWrite, 3, 4, 2),
            Op(HistoryOperation.Delete, 5, 6, 2, expected: 2),
            Missing(HistoryOperation.Read, 7, 8),
            Missing(HistoryOperation.CompareAndSet, 9, 10),
            Op(HistoryOperation.Create, 11, 12, 3),
            Op(HistoryOperation.CompareAndSet, 13, 14, 4, expected: 3),
            Op(HistoryOperation.CompareAndSet, 15, 16, 4, expected: 2, refused: true),
            Op(HistoryOperation.Delete, 17, 18, 4),
            Missing(HistoryOperation.Delete, 19, 20),

            // A store-wide mark: the next incarnation may start far above its predecessor.
            Op(HistoryOperation.Create, 21, 22, 9),
            Exists(23, 24),
            Op(HistoryOperation.ReadModifyWrite, 25, 26, 10),
            Op(HistoryOperation.Read, 27, 28, 10),
        ]));
    }

    [Fact]
    public void Versions_Need_Not_Start_At_One() =>
        Assert.Empty(HistoryChecker.Check(
        [
            Op(HistoryOperation.Create, 1, 2, 7),
            Op(HistoryOperation.BlindWrite, 3, 4, 8),
            Op(HistoryOperation.Read, 5, 6, 8),
        ]));

    [Fact]
    public void Operations_Overlapping_A_Delete_Or_A_Create_May_See_Either_State()
    {
        Assert.Empty(HistoryChecker.Check(
        [
            Create,
            Op(HistoryOperation.Delete, 3, 12, 1),
            Op(HistoryOperation.Read, 4, 5, 1),
            Exists(6, 7),
            Missing(HistoryOperation.Read, 8, 9),
            Missing(HistoryOperation.BlindWrite, 10, 11),
            Op(HistoryOperation.Create, 13, 20, 2),
            Missing(HistoryOperation.Read, 14, 15),
            Op(HistoryOperation.Read, 16, 17, 2),
            Exists(18, 19),
        ]));
    }

    [Fact]
    public void ABA_A_Context_Created_Again_At_A_Version_Its_Deleted_Predecessor_Had_Fails() =>
        AssertViolation("two acknowledged writes at version 1",
            Op(HistoryOperation.Create, 1, 2, 1, "first"), Op(HistoryOperation.Delete, 3, 4, 1, "first"), Op(HistoryOperation.Create, 5, 6, 1, "second"));

    [Fact]
    public void ABA_A_Compare_And_Set_Matching_A_Deleted_Incarnation_s_Version_Fails() =>
        AssertViolation("on version 2, which Delete",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2), Op(HistoryOperation.Delete, 5, 6, 2),
            Op(HistoryOperation.Create, 7, 8, 5), Op(HistoryOperation.CompareAndSet, 9, 10, 3, expected: 2));

    [Fact]
    public void ABA_A_Read_Of_A_Deleted_Incarnation_After_Its_Successor_Was_Created_Fails() =>
        AssertViolation("observed an older version",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2), Op(HistoryOperation.Delete, 5, 6, 2),
            Op(HistoryOperation.Create, 7, 8, 3), Op(HistoryOperation.Read, 9, 10, 2));

    [Fact]
    public void A_Write_To_A_Deleted_Context_Fails() =>
        AssertViolation("which Delete",
            Create, Op(HistoryOperation.Delete, 3, 4, 1), Op(HistoryOperation.BlindWrite, 5, 6, 2));

    [Fact]
    public void A_Create_While_The_Context_Was_Never_Deleted_Fails() =>
        AssertViolation("nothing deleted version 1", Create, Op(HistoryOperation.Create, 3, 4, 2));

    [Fact]
    public void A_Delete_Of_A_Version_Nobody_Wrote_Fails() =>
        AssertViolation("deleted version 3, which no acknowledged write produced", Create, Op(HistoryOperation.Delete, 3, 4, 3));

    [Fact]
    public void Two_Deletes_Of_One_Version_Fail() =>
        AssertViolation("two acknowledged deletes of version 1",
            Create, Op(HistoryOperation.Delete, 3, 4, 1), Op(HistoryOperation.Delete, 5, 6, 1));

    [Fact]
    public void A_Conditional_Delete_Of_Another_Version_Than_Expected_Fails() =>
        AssertViolation("deleted a version other than the expected one",
            Create, Op(HistoryOperation.BlindWrite, 3, 4, 2), Op(HistoryOperation.Delete, 5, 6, 2, expected: 1));

    [Fact]
    public void A_Conditional_Delete_Refused_At_Its_Expected_Version_Fails() =>
        AssertViolation("refused although", Create, Op(HistoryOperation.Delete, 3, 4, 1, expected: 1, refused: true));

    [Fact]
    public void Not_Found_While_The_Context_Existed_Throughout_Fails() =>
        AssertViolation("found no context", Create, Missing(HistoryOperation.Read, 3, 4));

    [Fact]
    public void Not_Found_Before_The_Delete_Began_Fails() =>
        AssertViolation("found no context", Create, Missing(HistoryOperation.Read, 3, 4), Op(HistoryOperation.Delete, 5, 6, 1));

    [Fact]
    public void Not_Found_After_The_Context_Was_Created_Again_Fails() =>
        AssertViolation("found no context",
            Create, Op(HistoryOperation.Delete, 3, 4, 1), Op(HistoryOperation.Create, 5, 6, 2), Missing(HistoryOperation.Read, 7, 8));

    [Fact]
    public void Already_Exists_While_The_Context_Was_Deleted_Throughout_Fails() =>
        AssertViolation("did not exist at any point", Create, Op(HistoryOperation.Delete, 3, 4, 1), Exists(5, 6));

    [Fact]
    public void Already_Exists_After_Its_Absence_Was_Seen_And_Before_Any_Create_Fails() =>
        AssertViolation("did not exist at any point",
            Create, Op(HistoryOperation.Delete, 3, 10, 1), Missing(HistoryOperation.Read, 4, 5), Exists(6, 7));

    private static void AssertViolation(string expected, params HistoryEntry[] history)
    {
        var violations = HistoryChecker.Check(history);
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }
}
