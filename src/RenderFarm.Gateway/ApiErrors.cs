using RenderFarm.Core.Json;

namespace RenderFarm.Gateway;

/// <summary>Errors as JSON in the IMS shape: RequestId, Code, Message, plus the offending Field (JSON path).</summary>
public static class ApiErrors
{
    public static IResult Invalid(RequestException e) =>
        Results.Json(new { RequestId = RequestIds.New(), Code = "InvalidParameter", e.Message, Field = e.Path }, statusCode: 400);

    public static IResult Invalid(string field, string reason) => Invalid(new RequestException(field, reason));

    public static IResult NotFound(string field, string id) =>
        Results.Json(new { RequestId = RequestIds.New(), Code = "NotFound", Message = $"{field}: '{id}' was not found", Field = field }, statusCode: 404);

    /// <summary>Writes an error outside an endpoint (middleware, limits, unmatched routes).</summary>
    public static async Task WriteAsync(HttpContext http, int status, string code, string message, string field, string? requestId = null)
    {
        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(new { RequestId = requestId ?? RequestIds.New(), Code = code, Message = message, Field = field });
    }
}

public static class RequestIds
{
    public static string New() => Guid.NewGuid().ToString("D").ToUpperInvariant();
}
