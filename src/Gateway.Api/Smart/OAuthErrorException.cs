namespace Gateway.Api.Smart;

/// <summary>An RFC 6749 §5.2 error answer of the token endpoint: <c>{"error": ..., "error_description": ...}</c>.</summary>
public sealed class OAuthErrorException(string error, string description) : Exception(description)
{
    public string Error { get; } = error;

    public int StatusCode => Error == "invalid_client" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest;

    public IResult ToResult() => Results.Json(new Dictionary<string, string> { ["error"] = Error, ["error_description"] = Message }, statusCode: StatusCode);
}
