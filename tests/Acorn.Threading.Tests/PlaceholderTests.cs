namespace Acorn.Threading.Tests;
public class PlaceholderTests { [Fact] public void One() => Assert.Equal(1, Acorn.Threading.Placeholder.One); }
