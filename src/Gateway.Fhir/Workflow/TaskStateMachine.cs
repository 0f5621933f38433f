using Gateway.Fhir.Errors;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using TaskStatus = Hl7.Fhir.Model.Task.TaskStatus;

namespace Gateway.Fhir.Workflow;

/// <summary>Who someone is to a referral Task; a move names who may make it.</summary>
[Flags]
public enum TaskRole
{
    None = 0,
    Owner = 1,
    Requester = 2,
    Operator = 4,

    /// <summary>The gateway itself, releasing a Task held for consent once the consent is there.</summary>
    Gateway = 8,
}

/// <summary>
/// The referral Task's states and who may move it between them: SPEC §5's table, which is the HL7
/// SDOH Clinical Care guide's with the optional <c>received</c> acknowledgement. Pure: the
/// store calls it with the stored and the proposed status.
/// </summary>
public static class TaskStateMachine
{
    public static readonly IReadOnlySet<TaskStatus> Open = new HashSet<TaskStatus>
    {
        TaskStatus.Requested, TaskStatus.Received, TaskStatus.Accepted, TaskStatus.InProgress, TaskStatus.OnHold,
    };

    /// <summary>Statuses that must say why in statusReason (the guide's, and the profile's gw-task-1).</summary>
    public static readonly IReadOnlySet<TaskStatus> NeedReason = new HashSet<TaskStatus>
    {
        TaskStatus.Rejected, TaskStatus.Cancelled, TaskStatus.OnHold, TaskStatus.Failed,
    };

    private static readonly (TaskStatus From, TaskStatus To, TaskRole By)[] Moves =
    [
        (TaskStatus.Requested, TaskStatus.Received, TaskRole.Owner),
        (TaskStatus.Requested, TaskStatus.Accepted, TaskRole.Owner),
        (TaskStatus.Requested, TaskStatus.Rejected, TaskRole.Owner),
        (TaskStatus.Received, TaskStatus.Accepted, TaskRole.Owner),
        (TaskStatus.Received, TaskStatus.Rejected, TaskRole.Owner),
        (TaskStatus.Accepted, TaskStatus.InProgress, TaskRole.Owner),
        (TaskStatus.Accepted, TaskStatus.OnHold, TaskRole.Owner),
        (TaskStatus.Accepted, TaskStatus.Completed, TaskRole.Owner),
        (TaskStatus.Accepted, TaskStatus.Failed, TaskRole.Owner),
        (TaskStatus.InProgress, TaskStatus.OnHold, TaskRole.Owner),
        (TaskStatus.InProgress, TaskStatus.Completed, TaskRole.Owner),
        (TaskStatus.InProgress, TaskStatus.Failed, TaskRole.Owner),
        (TaskStatus.OnHold, TaskStatus.InProgress, TaskRole.Owner),
        (TaskStatus.OnHold, TaskStatus.Completed, TaskRole.Owner),
        (TaskStatus.OnHold, TaskStatus.Failed, TaskRole.Owner),
        (TaskStatus.OnHold, TaskStatus.Requested, TaskRole.Gateway),
    ];

    /// <summary>The moves out of <paramref name="from"/> and who may make each, in the table's order.</summary>
    public static IReadOnlyList<(TaskStatus To, TaskRole By)> From(TaskStatus from)
    {
        var moves = Moves.Where(m => m.From == from).Select(m => (m.To, m.By)).ToList();
        if (Open.Contains(from))
        {
            moves.Add((TaskStatus.Cancelled, TaskRole.Requester | TaskRole.Owner));
        }

        if (from != TaskStatus.EnteredInError)
        {
            moves.Add((TaskStatus.EnteredInError, TaskRole.Requester | TaskRole.Operator));
        }

        return moves;
    }

    /// <summary>
    /// The owner's shortest way from <paramref name="from"/> to <paramref name="to"/> (the states after
    /// <paramref name="from"/>, ending with <paramref name="to"/>), for partner records that report
    /// where a referral is now rather than each step: "engaged" on a requested Task is accepted,
    /// then in-progress. Null when the owner has no way there.
    /// </summary>
    public static IReadOnlyList<TaskStatus>? OwnerPath(TaskStatus from, TaskStatus to) =>
        // The tables are fixed, so each pair's way is found once (issue 18: a search, its dictionary,
        // queue and lists, for every wor-export row was 1.4 % of the gateway's samples).
        OwnerPaths.GetOrAdd((from, to), pair => FindOwnerPath(pair.From, pair.To)?.AsReadOnly());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(TaskStatus From, TaskStatus To), IReadOnlyList<TaskStatus>?> OwnerPaths = new();

    private static List<TaskStatus>? FindOwnerPath(TaskStatus from, TaskStatus to)
    {
        var previous = new Dictionary<TaskStatus, TaskStatus> { [from] = from };
        var queue = new Queue<TaskStatus>([from]);
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            if (state == to)
            {
                var path = new List<TaskStatus>();
                for (var step = to; step != from; step = previous[step])
                {
                    path.Insert(0, step);
                }

                return path;
            }

            // Cancelling and entered-in-error end a referral: only ever the last step, never a way through.
            foreach (var (next, by) in From(state).Where(m => m.By.HasFlag(TaskRole.Owner) && (m.To == to || Open.Contains(m.To))))
            {
                if (previous.TryAdd(next, state))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Refuses a move the table does not have with 409, or one the caller may not make;
    /// SPEC §5: 409 either way, and the OperationOutcome lists the moves that are allowed from <paramref name="from"/>.
    /// </summary>
    public static void Check(string task, TaskStatus from, TaskStatus to, TaskRole caller)
    {
        if (from == to)
        {
            return;
        }

        var moves = From(from);
        var move = moves.FirstOrDefault(m => m.To == to);
        if (move.By == TaskRole.None)
        {
            throw new FhirException(409, [FhirException.Issue(OperationOutcome.IssueType.BusinessRule,
                $"{task} is {from.GetLiteral()} and cannot move to {to.GetLiteral()}. {Allowed(from, moves)}", "Task.status")]);
        }

        if ((move.By & caller) == TaskRole.None)
        {
            throw new FhirException(409, [FhirException.Issue(OperationOutcome.IssueType.Forbidden,
                $"Only the {Describe(move.By)} may move {task} from {from.GetLiteral()} to {to.GetLiteral()}; you are {Describe(caller)}. {Allowed(from, moves)}", "Task.status")]);
        }
    }

    private static string Allowed(TaskStatus from, IReadOnlyList<(TaskStatus To, TaskRole By)> moves) =>
        moves.Count == 0
            ? $"No move is allowed from {from.GetLiteral()}."
            : $"Allowed from {from.GetLiteral()}: " + string.Join("; ", moves.Select(m => $"{m.To.GetLiteral()} (by {Describe(m.By)})")) + ".";

    private static string Describe(TaskRole roles)
    {
        if (roles == TaskRole.None)
        {
            return "neither its owner, its requester nor an operator";
        }

        var names = new List<string>();
        if (roles.HasFlag(TaskRole.Owner))
        {
            names.Add("owner");
        }

        if (roles.HasFlag(TaskRole.Requester))
        {
            names.Add("requester");
        }

        if (roles.HasFlag(TaskRole.Operator))
        {
            names.Add("operator");
        }

        if (roles.HasFlag(TaskRole.Gateway))
        {
            names.Add("gateway, once consent is given");
        }

        return string.Join(" or ", names);
    }
}
