namespace Gateway.Jobs.Delivery;

/// <summary>One pending row of <c>notification_outbox</c>, as the delivery reads it.</summary>
public sealed record OutboxRow(long Id, string Kind, string Target, string ResourceType, string ResourceId, int ResourceVersion, int Attempts, DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt = default, long? EventNumber = null)
{
    public string IdText => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What one attempt came to: delivered, or the reason it was not.</summary>
public sealed record DeliveryResult(bool Delivered, string? Error)
{
    public static readonly DeliveryResult Success = new(true, null);

    public static DeliveryResult Failure(string error) => new(false, error);
}
