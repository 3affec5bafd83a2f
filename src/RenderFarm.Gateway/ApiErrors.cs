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

    public static IResult Unauthorized() =>
        Results.Json(new { RequestId = RequestIds.New(), Code = "Forbidden", Message = "an operator token is required (Authorization: Bearer TOKEN)", Field = "Authorization" }, statusCode: 401);
}

public static class RequestIds
{
    public static string New() => Guid.NewGuid().ToString("D").ToUpperInvariant();
}
