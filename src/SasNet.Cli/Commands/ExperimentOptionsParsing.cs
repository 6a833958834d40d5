using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SasNet.Training;

namespace SasNet.Cli.Commands;

/// <summary>The options shared by the verbs that describe an experiment, and how they become an <see cref="ExperimentConfig"/>.</summary>
internal sealed class ExperimentOptionsParsing
{
    public Option<string> Method { get; } = new("--method") { Description = "sasnet, vnet or sassnet", DefaultValueFactory = _ => "sasnet" };
    public Option<string> Scale { get; } = new("--scale") { Description = "smoke, quick or paper", DefaultValueFactory = _ => "quick" };
    public Option<string> Dataset { get; } = new("--dataset") { Description = "phantoms, la, pancreas or brats", DefaultValueFactory = _ => "phantoms" };
    public Option<string?> DataRoot { get; } = new("--data-root") { Description = "folder of a real dataset (LA, Pancreas, BraTS)" };
    public Option<int?> Labeled { get; } = new("--labeled") { Description = "labeled training cases (default: the scale's)" };
    public Option<int?> Iterations { get; } = new("--iterations") { Description = "training iterations (default: the scale's)" };
    public Option<int?> Seed { get; } = new("--seed") { Description = "random seed (default 1337)" };
    public Option<string?> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N (default cpu)" };
    public Option<string?> ConfigFile { get; } = new("--config") { Description = "a config.json to start from (e.g. from a run folder)" };
    public Option<string[]> Set { get; } = new("--set") { Description = "override any setting by its path or, where unambiguous, its name: --set Losses.UsePlc=false --set Beta=1.0", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Method, Scale, Dataset, DataRoot, Labeled, Iterations, Seed, Device, ConfigFile, Set })
            command.Add(option);
    }

    public ExperimentConfig Build(ParseResult parse)
    {
        ExperimentConfig config;
        var file = parse.GetValue(ConfigFile);
        if (file is not null)
        {
            if (!File.Exists(file)) throw new CliUsageException($"--config: file '{file}' does not exist");
            try { config = ExperimentConfig.FromJson(File.ReadAllText(file)); }
            catch (System.Text.Json.JsonException e) { throw new CliUsageException($"--config: '{file}' is not a valid experiment configuration: {e.Message}"); }
        }
        else
        {
            config = ExperimentConfig.Create(ParseEnum<TrainingMethod>(parse.GetValue(Method)!, "--method"),
                ParseEnum<ExperimentScale>(parse.GetValue(Scale)!, "--scale"), ParseEnum<DatasetKind>(parse.GetValue(Dataset)!, "--dataset"));
        }
        if (parse.GetValue(DataRoot) is { } root) config = config with { Data = config.Data with { DataRoot = root } };
        if (parse.GetValue(Labeled) is { } labeled) config = config with { Data = config.Data with { LabeledCount = labeled } };
        if (parse.GetValue(Iterations) is { } iterations) config = config with { Optimisation = config.Optimisation with { Iterations = iterations } };
        if (parse.GetValue(Seed) is { } seed) config = config with { Seed = seed };
        if (parse.GetValue(Device) is { } device) config = config with { Device = device };
        foreach (var assignment in parse.GetValue(Set) ?? []) config = Apply(config, assignment);
        try
        {
            return config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message);
        }
    }

    public static T ParseEnum<T>(string text, string option) where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value
            : throw new CliUsageException($"{option}: '{text}' is not one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    /// <summary>Splits a command-line <c>Name=Value</c> at its first '=' (the name trimmed); else a usage error naming <paramref name="option"/>.</summary>
    public static (string Name, string Value) Assignment(string assignment, string option)
    {
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new CliUsageException($"{option}: '{assignment}' is not Name=Value");
        return (assignment[..eq].Trim(), assignment[(eq + 1)..]);
    }

    // Sets one setting through the JSON form, so every setting can be given by its path (Losses.UsePlc) or, where it is
    // unambiguous, its name (UsePlc).
    private static ExperimentConfig Apply(ExperimentConfig config, string assignment)
    {
        var (name, given) = Assignment(assignment, "--set");
        var text = given.Trim();
        var json = JsonNode.Parse(config.ToJson())!.AsObject();
        var path = ExperimentConfigLayout.Resolve(config.ToJson(), name, out var paths)
            ?? throw new CliUsageException($"--set: no configuration field '{name}' (or more than one: give its path); fields: {string.Join(", ", paths)}");
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(json, (node, part) => node[part]!.AsObject());
        var key = parts[^1];
        var current = parent[key];
        JsonNode? value = current switch
        {
            JsonObject shape when shape.ContainsKey("X") => ParseShape(text, name),
            JsonValue v when v.TryGetValue<bool>(out _) => bool.TryParse(text, out var b) ? JsonValue.Create(b) : throw new CliUsageException($"--set {name}: '{text}' is not true or false"),
            JsonValue v when v.TryGetValue<double>(out _) || v.TryGetValue<int>(out _) =>
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d) : throw new CliUsageException($"--set {name}: '{text}' is not a number"),
            _ => JsonValue.Create(text),
        };
        parent[key] = value;
        try
        {
            return ExperimentConfig.FromJson(json.ToJsonString());
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliUsageException($"--set {name}={text}: {e.Message}");
        }
    }

    private static JsonObject ParseShape(string text, string name)
    {
        var parts = text.Split('x', 'X', ',', '×');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out _)))
            throw new CliUsageException($"--set {name}: '{text}' is not a size like 112x112x80");
        return new JsonObject { ["X"] = int.Parse(parts[0], CultureInfo.InvariantCulture), ["Y"] = int.Parse(parts[1], CultureInfo.InvariantCulture), ["Z"] = int.Parse(parts[2], CultureInfo.InvariantCulture) };
    }
}
