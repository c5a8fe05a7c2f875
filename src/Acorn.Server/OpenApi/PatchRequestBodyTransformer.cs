using System.Text.Json.Nodes;
using Acorn.Server.Contracts;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Acorn.Server.OpenApi;

/// <summary>
/// Describes the body of <c>PATCH /contexts/{id}</c> in the OpenAPI document: a merge patch or a JSON Patch, one schema
/// per media type.
/// </summary>
/// <remarks>
/// Written here rather than declared with <c>Accepts</c>: accepts metadata makes routing answer other media types with
/// a bare 415 before authentication, where the route answers 401 without a key and a problem with <c>Accept-Patch</c>.
/// </remarks>
internal static class PatchRequestBodyTransformer
{
    private static readonly string[] Ops = ["add", "remove", "replace", "move", "copy", "test"];

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ContextPatchRequest.MergePatchMediaType] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "RFC 7396: the members to change; a null member is removed, an object is merged, anything else replaces.",
                    },
                },
                [ContextPatchRequest.JsonPatchMediaType] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Description = "RFC 6902: operations applied in order; if one cannot apply, none is.",
                        Items = Operation(),
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Operation() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { "op", "path" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["op"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Ops.Select(op => (JsonNode)JsonValue.Create(op))],
            },
            ["path"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JSON Pointer (RFC 6901) into the context's data." },
            ["from"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "For move and copy: where the value comes from." },
            ["value"] = new OpenApiSchema { Description = "For add, replace and test: any JSON value." },
        },
    };
}
