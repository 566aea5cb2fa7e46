using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(IntegrationHub.Protocol.Benchmarks.EvaluateBenchmarks).Assembly).Run(args);
