using Acorn.Contexts.Internal;

namespace Acorn.Contexts.Tests;

/// <summary>The one expiry index: due contexts earliest first, moved when a write changes an expiry, gone when it is removed.</summary>
public sealed class ExpiryIndexTests
{
    private const long Never = long.MaxValue;

    [Fact]
    public void Due_ListsTheContextsDueByThen_EarliestFirst_AfterMovesAndRemovals()
    {
        var index = new ExpiryIndex();
        index.Move("b", Never, 20);
        index.Move("a", Never, 20);
        index.Move("c", Never, 10);
        index.Move("d", Never, 30);
        index.Move("never", Never, Never);

        index.Move("d", 30, 5);
        index.Move("c", 10, Never);
        index.Move("b", 20, 20);

        Assert.Equal(["d", "a", "b"], index.Due(20));
        Assert.Equal(["d"], index.Due(19));
        Assert.Empty(index.Due(4));
        Assert.Equal(3, index.Count);
    }
}
