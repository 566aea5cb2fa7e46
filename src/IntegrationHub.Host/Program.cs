using IntegrationHub.Host;
using IntegrationHub.Ingress;
using IntegrationHub.Ingress.Amqp;
using IntegrationHub.Ingress.Security;
using IntegrationHub.Operations;
using IntegrationHub.Operations.Commands;
using IntegrationHub.Lifecycle;
using IntegrationHub.Persistence;
using IntegrationHub.Routing;

var builder = WebApplication.CreateBuilder(args);
if (HubCommands.IsCommand(args))
{
    // `audit verify`, `failures list`, `failures retry` ...: a client of the running hub's operations API.
    Environment.ExitCode = await HubCommands.RunAsync(args, builder.Configuration, Console.Out, Console.In);
    return;
}

builder.Services.AddSingleton<HubPaths>();
builder.Services.AddHostedService<HubStartup>(); // before the bus: schema, keys and topology first
builder.Services.AddHubPersistence(sp => sp.GetRequiredService<HubPaths>().DefaultSqlitePath);
builder.Services.AddHubRouting(builder.Configuration,
    bus =>
    {
        bus.AddConsumer<AgencyInboundConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddLifecycleConsumers();
    },
    AgencyInboundEndpoints.Configure);
builder.Services.AddHubLifecycle();
builder.Services.AddHubIngress();
builder.Services.AddHubOperations();
builder.AddHubClientCertificates();
builder.AddHubTelemetry();
builder.AddHubHealthChecks();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseStatusCodePages();
app.UseExceptionHandler();
app.MapHubIngress();
app.MapHubOperations();
app.MapHubHealthChecks();
app.MapOpenApi("/openapi/{documentName}.json");

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
