using System.Text;
using System.Text.Json;

namespace Acorn.Contexts.Tests;

/// <summary>What <see cref="ContextPatch"/> refuses, how it names a failure, and that applying it changes nothing else.</summary>
public sealed class ContextPatchTests
{
    private static readonly JsonElement Data = JsonElement.Parse("""{"a":{"b":[1,2,3]},"c":"x"}""");

    public static TheoryData<ContextPatchKind, string, int?> MalformedDocuments => new()
    {
        { ContextPatchKind.JsonPatch, "not json", null },
        { ContextPatchKind.MergePatch, """{"a":""", null },
        { ContextPatchKind.JsonPatch, """{"op":"add","path":"/a","value":1}""", null },
        { ContextPatchKind.JsonPatch, """[{"op":"test","path":"/c","value":"x"}, 7]""", 1 },
        { ContextPatchKind.JsonPatch, """[{"op":"test","path":"/c","value":"x"},{"op":"spam","path":"/c"}]""", 1 },
        { ContextPatchKind.JsonPatch, """[{"path":"/c"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"remove"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"remove","path":"c"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"remove","path":"/a~2b"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"remove","path":5}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"add","path":"/d"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"copy","path":"/d"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"move","path":"/d","from":"d"}]""", 0 },
        { ContextPatchKind.JsonPatch, """[{"op":"add","op":"remove","path":"/d","value":1}]""", null },
        { ContextPatchKind.MergePatch, """{"a":1,"\u0061":2}""", null },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void Malformed_document_is_refused_naming_the_operation_at_fault(ContextPatchKind kind, string document, int? operation)
    {
        var error = Assert.Throws<InvalidContextPatchException>(() => ContextPatch.Parse(kind, document));

        Assert.Equal(operation, error.OperationIndex);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.Null(error.ContextId);
    }

    [Theory]
    [InlineData(ContextPatchKind.MergePatch, """{"s":"\ud800"}""", "surrogate")]
    [InlineData(ContextPatchKind.JsonPatch, """[{"op":"add","path":"/s","value":"\udc00 x"}]""", "surrogate")]
    public void Document_that_is_not_valid_Unicode_is_refused(ContextPatchKind kind, string document, string named)
    {
        // Parsed but impossible to write again: without this check, applying it failed with InvalidOperationException
        // (a 500 over HTTP) instead of a malformed-patch error; a lone surrogate character would have become U+FFFD.
        var refused = Assert.Throws<InvalidContextPatchException>(() => ContextPatch.Parse(kind, document));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_text_with_a_lone_surrogate_character_is_refused_not_altered()
    {
        var document = "{\"s\":\"" + '\ud800' + "\"}";

        var refused = Assert.Throws<InvalidContextPatchException>(() => ContextPatch.Parse(ContextPatchKind.MergePatch, document));

        Assert.Contains("Unicode", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_whose_bytes_are_not_UTF8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"s":"x"}""");
        bytes[6] = 0xFF;

        var refused = Assert.Throws<InvalidContextPatchException>(() => ContextPatch.From(ContextPatchKind.MergePatch, JsonElement.Parse(bytes)));

        Assert.Contains("UTF-8", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Document_nested_deeper_than_a_thousand_levels_is_refused()
    {
        var deep = new string('[', 1001) + new string(']', 1001);

        Assert.Throws<InvalidContextPatchException>(() => ContextPatch.Parse(ContextPatchKind.MergePatch, deep));
        Assert.Throws<InvalidContextPatchException>(() => ContextPatch.From(ContextPatchKind.MergePatch, default));
    }

    public static TheoryData<string, int, string, string> FailingOperations => new()
    {
        { """[{"op":"add","path":"/d","value":1},{"op":"test","path":"/a/b/1","value":2},{"op":"test","path":"/c","value":"y"}]""", 2, "test", "/c" },
        { """[{"op":"remove","path":"/a/nope"}]""", 0, "remove", "/a/nope" },
        { """[{"op":"replace","path":"/nope","value":1}]""", 0, "replace", "/nope" },
        { """[{"op":"add","path":"/nope/deeper","value":1}]""", 0, "add", "/nope/deeper" },
        { """[{"op":"add","path":"/a/b/4","value":1}]""", 0, "add", "/a/b/4" },
        { """[{"op":"remove","path":"/a/b/-"}]""", 0, "remove", "/a/b/-" },
        { """[{"op":"add","path":"/c/d","value":1}]""", 0, "add", "/c/d" },
        { """[{"op":"test","path":"/c","value":"x"},{"op":"move","from":"/nope","path":"/d"}]""", 1, "move", "/nope" },
        { """[{"op":"copy","from":"/a/b/9","path":"/d"}]""", 0, "copy", "/a/b/9" },
        { """[{"op":"move","from":"/a","path":"/a/b/0"}]""", 0, "move", "/a/b/0" },
        { """[{"op":"remove","path":""}]""", 0, "remove", "" },
    };

    [Theory]
    [MemberData(nameof(FailingOperations))]
    public void Failing_operation_is_named_by_index_op_and_path(string document, int index, string op, string path)
    {
        var patch = ContextPatch.Parse(ContextPatchKind.JsonPatch, document);

        var error = Assert.Throws<ContextPatchFailedException>(() => patch.ApplyTo("ctx", Data));

        Assert.Equal((index, op, path, "ctx"), (error.OperationIndex, error.Operation, error.Path, error.ContextId));
        Assert.Contains($"operation {index} ({op} '{path}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_leaves_the_data_and_the_patch_as_they_were()
    {
        var before = Data.GetRawText();
        var patch = ContextPatch.Parse(
            ContextPatchKind.JsonPatch,
            """[{"op":"add","path":"/a/b/0","value":{"n":0}},{"op":"add","path":"/a/b/0/m","value":1},{"op":"move","from":"/c","path":"/a/c"}]""");

        var first = patch.ApplyTo("ctx", Data);
        var second = patch.ApplyTo("ctx", Data);

        Assert.Equal(before, Data.GetRawText());
        Assert.Equal("""{"a":{"b":[{"n":0,"m":1},1,2,3],"c":"x"}}""", first.GetRawText());
        Assert.Equal(first.GetRawText(), second.GetRawText());
        Assert.Equal("""{"n":0}""", patch.Document[0].GetProperty("value").GetRawText());
    }

    [Fact]
    public async Task One_patch_applied_from_many_threads_at_once_gives_each_the_same_result()
    {
        var patch = ContextPatch.Parse(
            ContextPatchKind.JsonPatch,
            """[{"op":"copy","from":"/a","path":"/copy"},{"op":"add","path":"/copy/b/-","value":4},{"op":"remove","path":"/a/b/0"}]""");
        const string expected = """{"a":{"b":[2,3]},"c":"x","copy":{"b":[1,2,3,4]}}""";
        using var start = new Barrier(8);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            return Enumerable.Range(0, 200).Select(_ => patch.ApplyTo("ctx", Data).GetRawText()).Distinct().ToList();
        })));

        Assert.All(results, distinct => Assert.Equal([expected], distinct));
    }

    [Fact]
    public void Copies_that_double_the_data_again_and_again_are_refused_before_memory_runs_out()
    {
        // 40 doublings of 1 KiB would be a terabyte; the copies stop at 16 MiB.
        var data = JsonElement.Parse($$"""{"x":"{{new string('x', 1024)}}"}""");
        var operations = Enumerable.Range(0, 40).Select(i => $$"""{"op":"copy","from":"","path":"/x{{i}}"}""");
        var patch = ContextPatch.Parse(ContextPatchKind.JsonPatch, "[" + string.Join(',', operations) + "]");

        var error = Assert.Throws<ContextPatchFailedException>(() => patch.ApplyTo("ctx", data));

        Assert.InRange(error.OperationIndex, 13, 14);
        Assert.Equal(("copy", ""), (error.Operation, error.Path));
    }

    [Fact]
    public void Result_nested_deeper_than_any_context_may_is_refused_as_invalid_data()
    {
        var value = new string('[', 600) + new string(']', 600);
        var patch = ContextPatch.Parse(
            ContextPatchKind.JsonPatch,
            $$"""[{"op":"add","path":"/deep","value":{{value}}},{"op":"copy","from":"/deep","path":"/deep/{{string.Concat(Enumerable.Repeat("0/", 599))}}-"}]""");

        var error = Assert.Throws<InvalidContextDataException>(() => patch.ApplyTo("ctx", Data));

        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_naming_a_member_twice_fails_the_operation_instead_of_throwing_something_untyped()
    {
        var data = JsonElement.Parse("""{"a":1,"a":2}""");
        var patch = ContextPatch.Parse(ContextPatchKind.JsonPatch, """[{"op":"replace","path":"/a","value":3}]""");

        var error = Assert.Throws<ContextPatchFailedException>(() => patch.ApplyTo("ctx", data));

        Assert.Equal((0, "/a"), (error.OperationIndex, error.Path));
    }

    [Fact]
    public void Merge_patch_replaces_arrays_removes_nulls_and_keeps_the_rest()
    {
        var patch = ContextPatch.Parse(ContextPatchKind.MergePatch, """{"a":{"b":[9],"new":{"gone":null,"kept":1}},"c":null}""");

        var patched = patch.ApplyTo("ctx", Data);

        Assert.Equal("""{"a":{"b":[9],"new":{"kept":1}}}""", patched.GetRawText());
        Assert.Equal(ContextPatchKind.MergePatch, patch.Kind);
        Assert.Equal("""{"a":{"b":[9],"new":{"gone":null,"kept":1}},"c":null}""", patch.ToString());
    }

    [Fact]
    public void Merge_patch_of_many_members_finds_each_by_name()
    {
        var names = Enumerable.Range(0, 40).Select(i => $"k{i}").ToList();
        var data = JsonElement.Parse("{" + string.Join(',', names.Select(n => $"\"{n}\":0")) + "}");
        var patch = ContextPatch.Parse(ContextPatchKind.MergePatch, "{" + string.Join(',', names.Where((_, i) => i % 2 == 0).Select(n => $"\"{n}\":1")) + ",\"k1\":null}");

        var patched = patch.ApplyTo("ctx", data);

        var members = patched.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(39, members.Count);
        Assert.False(members.ContainsKey("k1"));
        Assert.All(members, m => Assert.Equal(int.Parse(m.Key.AsSpan(1), provider: null) % 2 == 0 ? 1 : 0, m.Value));
    }

    [Fact]
    public void Patch_from_an_element_is_its_own_copy()
    {
        using var source = JsonDocument.Parse(Encoding.UTF8.GetBytes("""{"c":"patched"}"""));
        var patch = ContextPatch.From(ContextPatchKind.MergePatch, source.RootElement);
        source.Dispose();

        Assert.Equal("""{"a":{"b":[1,2,3]},"c":"patched"}""", patch.ApplyTo("ctx", Data).GetRawText());
    }
}
