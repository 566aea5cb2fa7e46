namespace IntegrationHub.Tests.Operations;

/// <summary>The races of <see cref="When_two_operators_act_on_one_item_at_once"/> on the embedded default: SQLite.</summary>
public sealed class When_two_operators_act_on_one_item_at_once_on_SQLite : When_two_operators_act_on_one_item_at_once;
