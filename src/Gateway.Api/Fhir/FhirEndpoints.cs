using Gateway.Api.Access;
using Gateway.Api.Smart;
using Gateway.Fhir.Conformance;

namespace Gateway.Api.Fhir;

/// <summary>The /fhir route table: nothing but routes, their FHIR interaction and their names.</summary>
public static class FhirEndpoints
{
    public static RouteGroupBuilder MapFhir(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup("/fhir").WithTags("FHIR").AddEndpointFilter(NegotiateFormat)
            .RequireAuthorization().AddEndpointFilter(ScopeRequirement.Check).RequireRateLimiting(ClientRateLimiting.Policy);

        fhir.MapGet("/metadata", Metadata.Handle).WithName("capabilities").WithMetadata(new FhirInteraction("capabilities", IsSystemLevel: true)).AllowAnonymous();
        fhir.MapPost("", Transaction.Handle).WithName("transaction")
            .WithMetadata(new FhirInteraction("transaction", IsSystemLevel: true), new FhirInteraction("batch", IsSystemLevel: true));
        fhir.MapGet("/_history", History.HandleSystem).WithName("history-system").WithMetadata(new FhirInteraction("history-system", IsSystemLevel: true));

        fhir.MapPost("/{type}", Create.Handle).WithName("create").WithMetadata(new FhirInteraction("create"));
        fhir.MapGet("/{type}", Search.HandleGet).WithName("search-type").WithMetadata(new FhirInteraction("search-type"));
        fhir.MapPost("/{type}/_search", Search.HandlePost).WithName("search-type-post").WithMetadata(new FhirInteraction("search-type")).DisableAntiforgery();
        fhir.MapPut("/{type}", Update.HandleConditional).WithName("conditional-update").WithMetadata(new FhirInteraction("update"));
        fhir.MapGet("/{type}/_history", History.HandleType).WithName("history-type").WithMetadata(new FhirInteraction("history-type"));
        fhir.MapGet("/{type}/{id}", Read.Handle).WithName("read").WithMetadata(new FhirInteraction("read"));
        fhir.MapPut("/{type}/{id}", Update.Handle).WithName("update").WithMetadata(new FhirInteraction("update"));
        fhir.MapPatch("/{type}/{id}", Patch.Handle).WithName("patch").WithMetadata(new FhirInteraction("patch"));
        fhir.MapDelete("/{type}/{id}", Delete.Handle).WithName("delete").WithMetadata(new FhirInteraction("delete"));
        fhir.MapGet("/{type}/{id}/_history", History.HandleInstance).WithName("history-instance").WithMetadata(new FhirInteraction("history-instance"));
        fhir.MapGet("/{type}/{id}/_history/{vid}", Read.HandleVersion).WithName("vread").WithMetadata(new FhirInteraction("vread"));

        fhir.MapPost("/{type}/$validate", Validate.HandleType).WithName("validate-type").WithMetadata(SupportedOperation.Validate);
        fhir.MapMethods("/{type}/{id}/$validate", ["GET", "POST"], Validate.HandleInstance).WithName("validate-instance").WithMetadata(SupportedOperation.Validate);
        fhir.MapMethods("/ConceptMap/$translate", ["GET", "POST"], Translate.HandleType).WithName("translate").WithMetadata(SupportedOperation.Translate);
        fhir.MapMethods("/ConceptMap/{id}/$translate", ["GET", "POST"], Translate.HandleInstance).WithName("translate-instance").WithMetadata(SupportedOperation.Translate);
        fhir.MapMethods("/ValueSet/$expand", ["GET", "POST"], Expand.HandleType).WithName("expand").WithMetadata(SupportedOperation.Expand);
        fhir.MapMethods("/ValueSet/{id}/$expand", ["GET", "POST"], Expand.HandleInstance).WithName("expand-instance").WithMetadata(SupportedOperation.Expand);
        fhir.MapMethods("/CodeSystem/$lookup", ["GET", "POST"], Lookup.Handle).WithName("lookup").WithMetadata(SupportedOperation.Lookup);
        fhir.MapGet("/Subscription/$status", SubscriptionStatus.HandleType).WithName("subscription-status").WithMetadata(SupportedOperation.SubscriptionStatus);
        fhir.MapGet("/Subscription/{id}/$status", SubscriptionStatus.HandleInstance).WithName("subscription-status-instance").WithMetadata(SupportedOperation.SubscriptionStatus);
        fhir.MapMethods("/Measure/$evaluate-measure", ["GET", "POST"], EvaluateMeasure.HandleType).WithName("evaluate-measure")
            .WithMetadata(SupportedOperation.EvaluateMeasure, CsvOutput.Instance);
        fhir.MapMethods("/Measure/{id}/$evaluate-measure", ["GET", "POST"], EvaluateMeasure.HandleInstance).WithName("evaluate-measure-instance")
            .WithMetadata(SupportedOperation.EvaluateMeasure, CsvOutput.Instance);
        return fhir;
    }

    // Negotiated before the handler runs, so an unacceptable Accept is a 406 before anything is written.
    private static ValueTask<object?> NegotiateFormat(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<CsvOutput>() is not null && CsvOutput.IsWanted(context.HttpContext.Request))
        {
            context.HttpContext.Items[nameof(FhirFormat)] = FhirFormat.Json; // errors still come as an OperationOutcome
            return next(context);
        }

        context.HttpContext.Items[nameof(FhirFormat)] = FhirFormat.Negotiate(context.HttpContext.Request);
        return next(context);
    }
}
