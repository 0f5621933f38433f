using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Runs the benchmarks named on the command line, e.g. <c>--filter *Audit*</c>.</summary>
public partial class Program;
