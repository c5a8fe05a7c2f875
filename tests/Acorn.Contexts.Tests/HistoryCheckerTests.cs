using System.Text.Json;
using Acorn.Contexts.Testing.Linearizability;

namespace Acorn.Contexts.Tests;

/// <summary>The history checker accepts linearizable histories and names each kind of violation: a checker that never fails checks nothing.</summary>
public sealed class HistoryCheckerTests
{
    private static HistoryEntry Op(
        HistoryOperation operation, long invoked, long responded, long version, string? tag = null, long? expected = null, bool refused = false) =>
        new("c", operation, invoked, responded, version,
            refused ? null : JsonSerializer.SerializeToElement(new { tag = tag ?? $"v{version}" }), expected, refused);

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

    private static void AssertViolation(string expected, params HistoryEntry[] history)
    {
        var violations = HistoryChecker.Check(history);
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }
}
