using System.Globalization;
using System.Text.Json;
using SasNet.IO;
using SasNet.Training;

namespace SasNet.Experiments.Sweeps;

/// <summary>One training of a sweep: the run name (the cache key), its configuration file, and the notebooks that asked for it.</summary>
/// <param name="Run">The run name, <see cref="ExperimentConfig.RunName"/>.</param>
/// <param name="Config">The configuration file, relative to the sweep folder (<c>configs/&lt;run&gt;.json</c>).</param>
/// <param name="Notebooks">The notebooks that train it.</param>
public sealed record SweepRun(string Run, string Config, IReadOnlyList<string> Notebooks);

/// <summary>One submission of some of a sweep's runs to a scheduler.</summary>
/// <param name="Scheduler"><c>slurm</c> or <c>local</c>.</param>
/// <param name="Job">The Slurm array job id; empty for local runs.</param>
/// <param name="Runs">The submitted runs; Slurm array task <c>i</c> trains <c>Runs[i]</c>.</param>
/// <param name="Submitted">When, in UTC.</param>
/// <param name="Script">The submitted batch script, relative to the sweep folder (Slurm only).</param>
public sealed record SweepSubmission(string Scheduler, string Job, IReadOnlyList<string> Runs, DateTime Submitted, string? Script = null);

/// <summary>
/// A sweep folder as <c>sasnet sweep plan</c> writes it: <c>sweep.json</c> (the manifest: the cache the runs go to, the
/// <c>sasnet</c> that trains them, every run and every submission), <c>configs/&lt;run&gt;.json</c> (one configuration
/// each, read by <c>sasnet train --config</c>), <c>task.sh</c> (one training: the same script under Slurm and under the
/// local scheduler), <c>logs/&lt;run&gt;.log</c> (each training's output, appended across restarts) and
/// <c>exit/&lt;run&gt;</c> (its exit code once it ended on its own). Which runs are finished is never stored here: the
/// run cache says it (<see cref="RunFolder.IsPublished"/>).
/// </summary>
public sealed class Sweep
{
    /// <summary>The manifest's file name.</summary>
    public const string ManifestFile = "sweep.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Manifest(
        int Format,
        string Cache, string Sasnet, DateTime Created, IReadOnlyList<string> Notebooks, IReadOnlyDictionary<string, string> Parameters,
        IReadOnlyList<SweepRun> Runs, IReadOnlyList<SweepSubmission> Submissions);

    private Manifest manifest;

    private Sweep(string folder, Manifest manifest)
    {
        Folder = folder;
        this.manifest = manifest;
    }

    /// <summary>The sweep folder (absolute).</summary>
    public string Folder { get; }
    /// <summary>The run cache every task trains into; on a cluster, a folder every node sees at this path.</summary>
    public string CacheRoot => manifest.Cache;
    /// <summary>The <c>sasnet</c> executable the tasks run.</summary>
    public string Sasnet => manifest.Sasnet;
    /// <summary>The notebooks the sweep was planned from.</summary>
    public IReadOnlyList<string> Notebooks => manifest.Notebooks;
    /// <summary>The notebook parameters the plan ran them with (Scale, Dataset, DataRoot, Device, Seeds).</summary>
    public IReadOnlyDictionary<string, string> Parameters => manifest.Parameters;
    /// <summary>Every training, in the order the notebooks asked for them.</summary>
    public IReadOnlyList<SweepRun> Runs => manifest.Runs;
    /// <summary>Every submission, oldest first.</summary>
    public IReadOnlyList<SweepSubmission> Submissions => manifest.Submissions;

    /// <summary>The task script, <c>task.sh RUN</c>.</summary>
    public string TaskScript => Path.Combine(Folder, "task.sh");
    /// <summary>The log of a run's task(s).</summary>
    public string LogPath(string run) => Path.Combine(Folder, "logs", run + ".log");
    /// <summary>The exit code file of a run's last task that ended on its own.</summary>
    public string ExitPath(string run) => Path.Combine(Folder, "exit", run);
    /// <summary>The absolute path of a run's configuration file.</summary>
    public string ConfigPath(SweepRun run) => Path.Combine(Folder, (run ?? throw new ArgumentNullException(nameof(run))).Config);

    /// <summary>Whether a run is trained and published in <see cref="CacheRoot"/>.</summary>
    public bool IsDone(SweepRun run) => RunFolder.IsPublished(CacheRoot, (run ?? throw new ArgumentNullException(nameof(run))).Run);

    /// <summary>
    /// Writes a new sweep folder: one configuration file per distinct run, the manifest and the task script.
    /// </summary>
    /// <param name="folder">The sweep folder; it must not hold a sweep already.</param>
    /// <param name="cacheRoot">The run cache the tasks train into.</param>
    /// <param name="sasnet">The <c>sasnet</c> executable the tasks run (absolute).</param>
    /// <param name="runs">Each configuration with the notebook that asked for it (<see cref="SweepPlanning.Read"/>); a configuration asked for twice is one run.</param>
    /// <param name="notebooks">The notebooks planned.</param>
    /// <param name="parameters">The notebook parameters of the plan.</param>
    /// <exception cref="IOException">The folder already holds a sweep.</exception>
    /// <exception cref="InvalidDataException">A configuration does not survive its own file: read back, it would be another cache entry.</exception>
    public static Sweep Create(string folder, string cacheRoot, string sasnet, IEnumerable<PlannedRun> runs,
        IReadOnlyList<string> notebooks, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(runs);
        folder = Path.GetFullPath(folder);
        if (File.Exists(Path.Combine(folder, ManifestFile)))
            throw new IOException($"'{folder}' already holds a sweep ({ManifestFile}); plan into a new folder, or delete it first");
        Directory.CreateDirectory(Path.Combine(folder, "configs"));
        var byRun = new Dictionary<string, (ExperimentConfig Config, List<string> Notebooks)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (config, notebook) in runs)
        {
            if (!byRun.TryGetValue(config.RunName, out var entry))
            {
                byRun[config.RunName] = entry = (config, []);
                order.Add(config.RunName);
            }
            if (!entry.Notebooks.Contains(notebook)) entry.Notebooks.Add(notebook);
        }
        var sweepRuns = new List<SweepRun>();
        foreach (var run in order)
        {
            var (config, asking) = byRun[run];
            var json = config.ToJson();
            // The task reads this file back: it must name the same cache entry, or the notebooks would not find the run.
            var reread = ExperimentConfig.FromJson(json).RunName;
            if (reread != run) throw new InvalidDataException($"configuration {run} reads back from JSON as {reread}; the sweep cannot reproduce its cache key");
            var relative = Path.Combine("configs", run + ".json");
            AtomicFile.WriteAllText(Path.Combine(folder, relative), json);
            sweepRuns.Add(new SweepRun(run, relative, asking));
        }
        var sweep = new Sweep(folder, new Manifest(1, Path.GetFullPath(cacheRoot), Path.GetFullPath(sasnet), DateTime.UtcNow,
            notebooks, parameters, sweepRuns, []));
        sweep.Save();
        SweepTaskScript.Write(sweep);
        return sweep;
    }

    /// <summary>Opens a sweep folder written by <see cref="Create"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It has no <c>sweep.json</c>.</exception>
    /// <exception cref="InvalidDataException">The manifest cannot be read, or a configuration file it lists is missing.</exception>
    public static Sweep Open(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"sweep folder '{folder}' does not exist");
        var path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"'{folder}' has no {ManifestFile} (write one with 'sasnet sweep plan')", path);
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a sweep manifest: {e.Message}", e);
        }
        if (manifest is null || manifest.Runs is null || manifest.Cache is null || manifest.Sasnet is null)
            throw new InvalidDataException($"'{path}' is not a sweep manifest: runs, cache or sasnet missing");
        var sweep = new Sweep(folder, manifest with { Submissions = manifest.Submissions ?? [], Notebooks = manifest.Notebooks ?? [], Parameters = manifest.Parameters ?? new Dictionary<string, string>() });
        foreach (var run in sweep.Runs)
            if (!File.Exists(sweep.ConfigPath(run)))
                throw new InvalidDataException($"sweep '{folder}': the configuration file of {run.Run} ({run.Config}) is missing");
        return sweep;
    }

    /// <summary>Reads a run's configuration.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid configuration (which file, and why).</exception>
    public ExperimentConfig LoadConfig(SweepRun run)
    {
        var path = ConfigPath(run);
        try
        {
            return ExperimentConfig.FromJson(File.ReadAllText(path)).Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"'{path}' is not a valid experiment configuration: {e.Message}", e);
        }
    }

    /// <summary>The runs not yet published in the cache, in sweep order.</summary>
    public IReadOnlyList<SweepRun> Unfinished() => Runs.Where(r => !IsDone(r)).ToList();

    /// <summary>The latest submission that included <paramref name="run"/>, or null when it was never submitted.</summary>
    public SweepSubmission? LatestSubmissionOf(string run) => Submissions.LastOrDefault(s => s.Runs.Contains(run));

    /// <summary>Records a submission in the manifest (rewritten whole, atomically).</summary>
    public void AddSubmission(SweepSubmission submission)
    {
        manifest = manifest with { Submissions = [.. manifest.Submissions, submission] };
        Save();
    }

    /// <summary>A name for files of the next submission: "1", "2", …</summary>
    public string NextSubmissionNumber() => (Submissions.Count + 1).ToString(CultureInfo.InvariantCulture);

    private void Save() => AtomicFile.WriteAllText(Path.Combine(Folder, ManifestFile), JsonSerializer.Serialize(manifest, JsonOptions));
}
