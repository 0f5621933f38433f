using Hl7.Fhir.Model;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Gateway.Fhir.Workflow;

/// <summary>
/// A statusReason says why a Task is rejected, cancelled, on hold or failed (SPEC §5). A Task that
/// moves on to a state that carries no reason drops the one of the state it left, on every write
/// path, rather than keep it as if it still applied (issue 17); history keeps it with the version
/// it belonged to. A reason given anew with the move is kept.
/// </summary>
internal static class TaskReason
{
    public static void DropCarriedOver(Resource? previous, Resource next)
    {
        if (previous is FhirTask before && next is FhirTask task && task.Status != before.Status
            && task.Status is { } status && !TaskStateMachine.NeedReason.Contains(status)
            && task.StatusReason is { } reason && reason.IsExactly(before.StatusReason))
        {
            task.StatusReason = null;
        }
    }

    /// <summary>Whether a move into a state that carries a reason gives one of its own, not the previous version's.</summary>
    public static bool IsGivenWithMove(FhirTask previous, FhirTask next) =>
        next.StatusReason is { } reason && !reason.IsExactly(previous.StatusReason);
}
