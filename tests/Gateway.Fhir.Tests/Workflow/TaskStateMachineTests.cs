using Gateway.Fhir.Errors;
using Gateway.Fhir.Workflow;
using Status = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Fhir.Tests.Workflow;

public sealed class TaskStateMachineTests
{
    // SPEC §5's table, written out move by move: (from, to, who may).
    public static TheoryData<Status, Status, TaskRole> Allowed => new()
    {
        { Status.Requested, Status.Received, TaskRole.Owner },
        { Status.Requested, Status.Accepted, TaskRole.Owner },
        { Status.Requested, Status.Rejected, TaskRole.Owner },
        { Status.Received, Status.Accepted, TaskRole.Owner },
        { Status.Received, Status.Rejected, TaskRole.Owner },
        { Status.Accepted, Status.InProgress, TaskRole.Owner },
        { Status.Accepted, Status.OnHold, TaskRole.Owner },
        { Status.Accepted, Status.Completed, TaskRole.Owner },
        { Status.Accepted, Status.Failed, TaskRole.Owner },
        { Status.InProgress, Status.OnHold, TaskRole.Owner },
        { Status.InProgress, Status.Completed, TaskRole.Owner },
        { Status.InProgress, Status.Failed, TaskRole.Owner },
        { Status.OnHold, Status.InProgress, TaskRole.Owner },
        { Status.OnHold, Status.Completed, TaskRole.Owner },
        { Status.OnHold, Status.Failed, TaskRole.Owner },
        { Status.Requested, Status.Cancelled, TaskRole.Requester },
        { Status.Accepted, Status.Cancelled, TaskRole.Owner },
        { Status.OnHold, Status.Cancelled, TaskRole.Requester },
        { Status.Completed, Status.EnteredInError, TaskRole.Requester },
        { Status.Rejected, Status.EnteredInError, TaskRole.Operator },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void The_tables_moves_are_allowed_to_who_the_table_names(Status from, Status to, TaskRole by) =>
        TaskStateMachine.Check("Task/1", from, to, by);

    [Fact]
    public void Every_move_not_in_the_table_is_409_for_everyone()
    {
        var allowed = Allowed.Select(row => ((Status)row[0], (Status)row[1])).ToHashSet();
        var everyone = TaskRole.Owner | TaskRole.Requester | TaskRole.Operator;
        var statuses = new[] { Status.Requested, Status.Received, Status.Accepted, Status.InProgress, Status.OnHold, Status.Completed, Status.Failed, Status.Rejected, Status.Cancelled, Status.EnteredInError };
        foreach (var from in statuses)
        {
            foreach (var to in statuses.Where(to => to != from && !allowed.Contains((from, to))))
            {
                var legalByAnyone = TaskStateMachine.From(from).Any(m => m.To == to);
                if (!legalByAnyone)
                {
                    var refused = Assert.Throws<FhirException>(() => TaskStateMachine.Check("Task/1", from, to, everyone));
                    Assert.Equal(409, refused.StatusCode);
                }
            }
        }
    }

    [Theory]
    [InlineData(Status.Requested, Status.Accepted, TaskRole.Requester)]
    [InlineData(Status.InProgress, Status.Completed, TaskRole.Operator)]
    [InlineData(Status.Accepted, Status.Cancelled, TaskRole.Operator)]
    [InlineData(Status.Completed, Status.EnteredInError, TaskRole.Owner)]
    [InlineData(Status.OnHold, Status.Requested, TaskRole.Owner)]
    public void A_move_by_someone_the_table_does_not_name_is_409_saying_who_may(Status from, Status to, TaskRole by)
    {
        var refused = Assert.Throws<FhirException>(() => TaskStateMachine.Check("Task/1", from, to, by));

        Assert.Equal(409, refused.StatusCode);
        Assert.StartsWith("Only the ", refused.Issues[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains("Allowed from", refused.Issues[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public void Closed_states_allow_only_entered_in_error()
    {
        foreach (var closed in new[] { Status.Completed, Status.Failed, Status.Rejected, Status.Cancelled })
        {
            Assert.Equal([Status.EnteredInError], TaskStateMachine.From(closed).Select(m => m.To));
        }

        Assert.Empty(TaskStateMachine.From(Status.EnteredInError));
    }
}
