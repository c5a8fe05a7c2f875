using System.Text.Json;

namespace Acorn.Contexts.Tests.Conformance.MergePatch;

/// <summary>The examples of RFC 7396 (JSON Merge Patch), applied by <see cref="ContextPatch"/>.</summary>
public sealed class MergePatchRfc7396Tests
{
    /// <summary>Appendix A, "Example Test Cases": original, patch, result.</summary>
    public static TheoryData<string, string, string> AppendixA => new()
    {
        { """{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""" },
        { """{"a":"b"}""", """{"a":null}""", """{}""" },
        { """{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""" },
        { """{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""" },
        { """{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""" },
        { """{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""" },
        { """{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""" },
        { """["a","b"]""", """["c","d"]""", """["c","d"]""" },
        { """{"a":"b"}""", """["c"]""", """["c"]""" },
        { """{"a":"foo"}""", """null""", """null""" },
        { """{"a":"foo"}""", "\"bar\"", "\"bar\"" },
        { """{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""" },
        { """[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""" },
        { """{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""" },
    };

    [Theory]
    [MemberData(nameof(AppendixA))]
    public void AppendixA_example_gives_the_RFCs_result(string original, string patch, string result) =>
        AssertPatched(original, patch, result);

    [Fact]
    public void Section3_example_changes_only_what_the_patch_names()
    {
        AssertPatched(
            """{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}""",
            """{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""",
            """{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}""");
    }

    private static void AssertPatched(string original, string patch, string result)
    {
        var patched = ContextPatch.Parse(ContextPatchKind.MergePatch, patch).ApplyTo("rfc7396", JsonElement.Parse(original));

        // Text, not only equality: the RFC's results keep the target's member order and add new members last. Both
        // sides are written by the same writer, which escapes alike ('+' as \u002B).
        Assert.Equal(JsonSerializer.Serialize(JsonElement.Parse(result)), JsonSerializer.Serialize(patched));
    }
}
