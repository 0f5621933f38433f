using Hl7.Fhir.FhirPath;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;
using FhirPathExpression = Hl7.FhirPath.Expressions.Expression;

namespace Gateway.Fhir.Search.Index;

internal static class SearchPathCompiler
{
    // The same symbol table Firely's own Base.Select uses: standard FHIRPath plus resolve(), hasValue() etc.
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());

    /// <remarks>
    /// Without an element resolver Firely's resolve() yields nothing for anything but contained
    /// references, so "X.where(resolve() is Patient)" would never match. Such a branch
    /// is compiled as "X" and the type named by the literal reference itself is checked instead
    /// ("Patient/123" refers to a Patient, http://hl7.org/fhir/R4/references.html#literal).
    /// </remarks>
    public static SearchPath Compile(string branch, string resourceType)
    {
        var parsed = Compiler.Parse(branch);
        return IsResolveTypeFilter(parsed, out var focus, out var targetType)
            ? new SearchPath(Compiler.Compile(focus), targetType, MemberChain(focus, resourceType))
            : new SearchPath(Compiler.Compile(parsed), null, MemberChain(parsed, resourceType), GuardChain(parsed, resourceType));
    }

    // "chain.where(…)", "chain.ofType(T)", "chain.as(T)", "(chain as T)": each yields nothing from an
    // empty chain (R4's Provenance 'when' is "(Provenance.occurred as dateTime)", and the gateway's
    // Provenance has no occurred: issue 18, eleventh pass). Any other binary operator (a function call
    // in Firely's tree too, on the implicit focus, its operands in Arguments) is never a guard.
    private static string[]? GuardChain(FhirPathExpression expression, string resourceType) => expression switch
    {
        BracketExpression bracket => GuardChain(bracket.Operand, resourceType),
        BinaryExpression { Op: "as" } typed => MemberChain(typed.Arguments.First(), resourceType),
        BinaryExpression => null,
        FunctionCallExpression { FunctionName: "where" or "ofType" or "as" } call => MemberChain(call.Focus, resourceType),
        _ => null,
    };

    // "Patient.name.given" parses as child 'given' of child 'name' of child 'Patient' of the focus;
    // the first step names the resource's own type, which FHIRPath navigation takes as the resource itself.
    private static string[]? MemberChain(FhirPathExpression expression, string resourceType)
    {
        var names = new List<string>();
        var step = expression;
        while (step is ChildExpression child)
        {
            names.Add(child.ChildName);
            step = child.Focus;
        }

        if (step is not AxisExpression { AxisName: "that" } || names.Count < 2 || names[^1] != resourceType)
        {
            return null;
        }

        names.RemoveAt(names.Count - 1);
        names.Reverse();
        return [.. names];
    }

    // Matches "focus.where(resolve() is T)". In SDK 6.8 BinaryExpression.Left is the implicit $this
    // focus and Right the first operand, so the operands are read from Arguments instead.
    private static bool IsResolveTypeFilter(FhirPathExpression expression, out FhirPathExpression focus, out string targetType)
    {
        if (expression is FunctionCallExpression { FunctionName: "where" } where
            && where.Arguments.SingleOrDefault() is BinaryExpression { Op: "is" } isExpression
            && isExpression.Arguments.ToList() is [FunctionCallExpression { FunctionName: "resolve" } resolve, ConstantExpression { Value: string type }]
            && !resolve.Arguments.Any()
            && resolve.Focus is AxisExpression)
        {
            focus = where.Focus;
            targetType = type;
            return true;
        }

        focus = expression;
        targetType = string.Empty;
        return false;
    }
}
