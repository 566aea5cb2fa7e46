using IntegrationHub.Host;
using IntegrationHub.Ingress;
using IntegrationHub.Lifecycle;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton<HubPaths>();
builder.Services.AddHostedService<HubStartup>(); // before the bus: schema, keys and topology first
builder.Services.AddHubPersistence(sp => sp.GetRequiredService<HubPaths>().DefaultSqlitePath);
builder.Services.AddHubRouting(builder.Configuration, bus => bus.AddLifecycleConsumers());
builder.Services.AddHubLifecycle();
builder.Services.AddHubIngress();
builder.AddHubTelemetry();
builder.AddHubHealthChecks();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseStatusCodePages();
app.UseExceptionHandler();
app.MapHubIngress();
app.MapHubHealthChecks();
app.MapOpenApi("/openapi/{documentName}.json");

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
