using Microsoft.AspNetCore.Mvc;

namespace Acorn.Server;

/// <summary>Errors as <c>application/problem+json</c>, each naming the field or id at fault.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemDetails Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    public static IResult Respond(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Json(Create(status, title, detail, extensions), ServerJson.Options, ContentType, status);

    public static Task Write(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Create(status, title, detail, extensions), ServerJson.Options, ContentType, context.RequestAborted);
    }

    public static IResult BadRequest(string field, string detail) =>
        Respond(StatusCodes.Status400BadRequest, "Bad request", detail, new Dictionary<string, object?> { ["field"] = field });
}
