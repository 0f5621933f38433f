using Gateway.Fhir.Workflow;
using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Fhir.Tests.Workflow;

/// <summary>Issue 17, item 6: a statusReason belongs to the move that gave it.</summary>
public sealed class TaskReasonTests
{
    private static FhirTask Task(Status status, string? reason) =>
        new() { Status = status, StatusReason = reason is null ? null : new CodeableConcept { Text = reason } };

    [Theory]
    [InlineData(Status.InProgress)]
    [InlineData(Status.Completed)]
    [InlineData(Status.Requested)]
    public void A_move_to_a_state_without_a_reason_drops_the_carried_over_one(Status to)
    {
        var next = Task(to, "Tenant in hospital");

        TaskReason.DropCarriedOver(Task(Status.OnHold, "Tenant in hospital"), next);

        Assert.Null(next.StatusReason);
    }

    [Fact]
    public void A_reason_given_with_the_move_is_kept()
    {
        var next = Task(Status.InProgress, "Back home, resuming");

        TaskReason.DropCarriedOver(Task(Status.OnHold, "Tenant in hospital"), next);

        Assert.Equal("Back home, resuming", next.StatusReason?.Text);
    }

    [Fact]
    public void A_move_into_a_state_with_a_reason_keeps_it_for_the_rules_to_judge()
    {
        var next = Task(Status.Cancelled, "Tenant in hospital");

        TaskReason.DropCarriedOver(Task(Status.OnHold, "Tenant in hospital"), next);

        Assert.NotNull(next.StatusReason);
        Assert.False(TaskReason.IsGivenWithMove(Task(Status.OnHold, "Tenant in hospital"), next));
    }

    [Theory]
    [InlineData(null, "The tenant withdrew", true)]
    [InlineData("Tenant in hospital", "The tenant withdrew", true)]
    [InlineData("Tenant in hospital", "Tenant in hospital", false)]
    [InlineData("Tenant in hospital", null, false)]
    public void A_reason_counts_when_this_version_gives_it(string? before, string? after, bool given) =>
        Assert.Equal(given, TaskReason.IsGivenWithMove(Task(Status.OnHold, before), Task(Status.Cancelled, after)));
}
