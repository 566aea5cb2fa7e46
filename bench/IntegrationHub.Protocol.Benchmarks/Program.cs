using System.Text.Json;
using BenchmarkDotNet.Running;
using IntegrationHub.Protocol.Benchmarks;

// `--explain` prints the decision the benchmark measures, so the figures can be read against what it decides.
if (args is ["--explain"])
{
    Console.WriteLine(JsonSerializer.Serialize(new EvaluateBenchmarks().Evaluate(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(EvaluateBenchmarks).Assembly).Run(args);
