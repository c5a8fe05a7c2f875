using System.Text.Json;

namespace Acorn.Contexts.Tests.Conformance.JsonPatch;

/// <summary>
/// The public JSON Patch test suite (npm json-patch-test-suite 1.1.0, vendored beside this file with its licence) run
/// against <see cref="ContextPatch"/>: every record of tests.json and spec_tests.json is one test.
/// </summary>
/// <remarks>
/// The suite's documents are any JSON values, not only objects: this runs the patch engine itself, whose
/// <see cref="ContextPatch.ApplyTo"/> patches any value (that context data be an object is the manager's rule).
/// </remarks>
public sealed class JsonPatchConformanceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Conformance", "JsonPatch");
    private static readonly string[] Files = ["tests.json", "spec_tests.json"];

    public static IEnumerable<TheoryDataRow<string, int>> Cases() =>
        from file in Files
        from row in Records(file).Select((record, index) => (record, index))
        where row.record.TryGetProperty("doc", out _)
        select new TheoryDataRow<string, int>(file, row.index) { TestDisplayName = $"{file} #{row.index}: {Comment(row.record)}" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Record_passes(string file, int index)
    {
        var record = Records(file)[index];
        var document = record.GetProperty("doc");
        var patchDocument = record.GetProperty("patch");

        if (record.TryGetProperty("error", out var error))
        {
            var thrown = Record.Exception(() => ContextPatch.From(ContextPatchKind.JsonPatch, patchDocument).ApplyTo("conformance", document));
            switch (thrown)
            {
                case InvalidContextPatchException:
                    break;
                case ContextPatchFailedException failed:
                    var operation = patchDocument[failed.OperationIndex];
                    var from = operation.TryGetProperty("from", out var fromMember) ? fromMember.GetString() : null;
                    Assert.True(failed.Path == operation.GetProperty("path").GetString() || failed.Path == from, $"'{failed.Path}' is neither path nor from of {operation}");
                    break;
                default:
                    Assert.Fail($"expected a refusal ({error.GetString()}), got {thrown?.ToString() ?? "a result"}");
                    break;
            }

            return;
        }

        var patch = ContextPatch.From(ContextPatchKind.JsonPatch, patchDocument);
        var result = patch.ApplyTo("conformance", document);

        if (record.TryGetProperty("expected", out var expected))
        {
            Assert.True(JsonElement.DeepEquals(expected, result), $"expected {expected.GetRawText()}, got {result.GetRawText()}");
        }

        // Pure: the same patch on the same input gives the same result again.
        Assert.True(JsonElement.DeepEquals(result, patch.ApplyTo("conformance", document)), "a second application differed");
    }

    private static List<JsonElement> Records(string file)
    {
        using var suite = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, file)));
        return [.. suite.RootElement.EnumerateArray().Select(record => record.Clone())];
    }

    private static string Comment(JsonElement record) =>
        record.TryGetProperty("comment", out var comment) ? comment.GetString()! : "(no comment)";
}
