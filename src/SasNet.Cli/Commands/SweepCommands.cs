using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SasNet.Experiments;
using SasNet.Experiments.Sweeps;

namespace SasNet.Cli.Commands;

/// <summary>
/// <c>sasnet sweep plan|submit|status</c>: every training some notebooks ask for, planned by running those notebooks in
/// recording mode (<see cref="SweepPlanning"/>), trained as a Slurm array job (or as local processes) into the shared run
/// cache, and followed from the cache and the scheduler. Afterwards the notebooks read every result from the cache.
/// </summary>
internal static class SweepCommands
{
    public static Command Create()
    {
        var command = new Command("sweep", "Plan the trainings of notebooks, train them on Slurm (or locally) into the run cache, follow them.");
        command.Add(Plan());
        command.Add(Submit());
        command.Add(Status());
        return command;
    }

    private static Argument<string> SweepFolder() => new("sweep") { Description = "the sweep folder written by 'sasnet sweep plan'" };

    private static Command Plan()
    {
        var notebooks = new Argument<string[]>("notebooks") { Description = "notebooks (.ipynb) or folders of them", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "the sweep folder to write (new)", Required = true };
        var scale = new Option<string>("--scale") { Description = "Smoke, Quick or Paper", DefaultValueFactory = _ => "Paper" };
        scale.AcceptOnlyFromAmong("Smoke", "Quick", "Paper", "smoke", "quick", "paper");
        var dataset = new Option<string?>("--dataset") { Description = "the notebooks' Dataset switch: Phantoms, LA, Pancreas or BraTS" };
        var dataRoot = new Option<string?>("--data-root") { Description = "the notebooks' DataRoot switch (a path every node sees)" };
        var device = new Option<string?>("--device") { Description = "the notebooks' Device switch (cuda on GPU nodes; part of the cache key)" };
        var seeds = new Option<int?>("--seeds") { Description = "the notebooks' Seeds switch: trainings per row" }.AtLeast(1);
        var cache = new Option<string?>("--cache") { Description = "the run cache the tasks train into, on a shared file system (default: $SASNET_CACHE or artifacts/cache)" };
        var extra = new Option<string[]>("--param") { Description = "any other notebook switch, Name=Value (repeatable), as 'sasnet notebooks run' takes it", AllowMultipleArgumentsPerToken = false };
        var command = new Command("plan", "Run notebooks without training (in the notebook kernel) and write every training they ask for into a new sweep folder.")
            { notebooks, output, scale, dataset, dataRoot, device, seeds, cache, extra };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var report = parse.InvocationConfiguration.Output;
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(Path.Combine(folder, Sweep.ManifestFile)))
                throw new CliUsageException($"--output: '{folder}' already holds a sweep; plan into a new folder, or delete it first");
            var cacheRoot = Path.GetFullPath(parse.GetValue(cache) ?? KitPaths.CacheRoot());
            var scaleName = ExperimentOptionsParsing.ParseEnum<SasNet.Training.ExperimentScale>(parse.GetValue(scale)!, "--scale").ToString();
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["Scale"] = scaleName };
            if (parse.GetValue(dataset) is { } d) parameters["Dataset"] = d;
            // Absolute: the configuration hashes the full path, and the tasks run elsewhere.
            if (parse.GetValue(dataRoot) is { } r) parameters["DataRoot"] = Path.GetFullPath(r);
            if (parse.GetValue(device) is { } v) parameters["Device"] = v;
            if (parse.GetValue(seeds) is { } n) parameters["Seeds"] = n.ToString(CultureInfo.InvariantCulture);
            foreach (var assignment in parse.GetValue(extra) ?? [])
            {
                var (name, value) = ExperimentOptionsParsing.Assignment(assignment, "--param");
                parameters[name] = value;
            }

            var planFolder = Path.Combine(folder, "plan");
            Directory.CreateDirectory(planFolder);
            foreach (var stale in Directory.EnumerateFiles(planFolder, "*.ipynb")) File.Delete(stale); // an earlier, failed plan's
            var record = Path.Combine(planFolder, "record.jsonl");
            File.Delete(record);
            var arguments = new List<string> { "run" };
            arguments.AddRange(parse.GetValue(notebooks) ?? []);
            arguments.AddRange(["--output", planFolder, "--no-html", "--keep-going"]);
            foreach (var (key, value) in parameters) arguments.AddRange(["--param", $"{key}={value}"]);
            // Each notebook runs without training: a cell that needs a trained result stops with the planned marker, and
            // the cells after it run on, so that every training is recorded. Those expected errors go to the log, not here.
            var log = Path.Combine(planFolder, "run.log");
            report.WriteLine($"recording the trainings the notebooks ask for (they run without training; log: {log})");
            int code = await NotebookCommands.RunAsync(arguments, parse.InvocationConfiguration.Error, cancellationToken,
                new Dictionary<string, string> { [SweepPlanning.RecordVariable] = record, ["SASNET_CACHE"] = cacheRoot }, log);
            // 0: every notebook ran through, 1: some stopped on a cell (checked below); anything else: the runner did not finish.
            if (code is not (0 or 1))
            {
                var error = parse.InvocationConfiguration.Error;
                await error.WriteLineAsync($"sasnet sweep plan: the notebook runner exited with code {code}; the end of {log}:");
                foreach (var line in File.ReadLines(log).TakeLast(20)) await error.WriteLineAsync("  " + line);
                return code == Program.UsageExitCode ? Program.UsageExitCode : Program.FailureExitCode;
            }

            // A notebook that failed for any other reason than a planned result may have missed trainings: say which and why.
            var executed = Directory.EnumerateFiles(planFolder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
            var problems = executed.Select(f => (Notebook: Path.GetFileNameWithoutExtension(f), Problem: PlanningProblem(f))).Where(p => p.Problem is not null).ToList();
            foreach (var (notebook, problem) in problems)
                parse.InvocationConfiguration.Error.WriteLine($"sasnet sweep plan: {notebook} {problem} (see {Path.Combine(planFolder, notebook + ".ipynb")})");
            if (problems.Count > 0) return Program.FailureExitCode;

            var asked = SweepPlanning.Read(record);
            foreach (var notebook in executed.Select(Path.GetFileNameWithoutExtension))
                report.WriteLine($"  {notebook}: {asked.Count(a => a.Notebook == notebook)} training(s) asked for, {asked.Where(a => a.Notebook == notebook).Select(a => a.Config.RunName).Distinct().Count()} distinct");
            var sweep = Sweep.Create(folder, cacheRoot, KitExecutable(), asked, executed.Select(f => Path.GetFileNameWithoutExtension(f)).ToList(), parameters);
            report.WriteLine($"sweep {folder}: {sweep.Runs.Count} training(s), {sweep.Runs.Count(sweep.IsDone)} already in the cache {cacheRoot}");
            report.WriteLine($"train them with: sasnet sweep submit {folder} --scheduler local --jobs N   (on this machine)");
            report.WriteLine($"             or: sasnet sweep submit {folder} --scheduler slurm [--partition P --gpus-per-task 1 --time 24:00:00]");
            return 0;
        });
        return command;
    }

    // Null when the executed notebook ran through or first failed on a planned result; else what went wrong, and where.
    private static string? PlanningProblem(string executedNotebook)
    {
        var document = JsonNode.Parse(File.ReadAllText(executedNotebook));
        var cells = document?["cells"]?.AsArray() ?? [];
        foreach (var cell in cells)
        {
            var error = cell?["outputs"]?.AsArray().FirstOrDefault(o => o?["output_type"]?.GetValue<string>() == "error");
            if (error is null) continue;
            var message = $"{error["ename"]?.GetValue<string>()}: {error["evalue"]?.GetValue<string>()}";
            return message.Contains(SweepPlanning.PlannedMarker, StringComparison.Ordinal)
                ? null
                : $"failed in cell {cells.IndexOf(cell) + 1} for a reason other than a planned result, so it may not have asked for all its trainings: {message}";
        }
        return null;
    }

    private static Command Submit()
    {
        var sweepFolder = SweepFolder();
        var scheduler = new Option<string>("--scheduler") { Description = "slurm (one array job) or local (processes on this machine)", DefaultValueFactory = _ => "slurm" };
        scheduler.AcceptOnlyFromAmong("slurm", "local");
        var jobs = new Option<int>("--jobs") { Description = "local: trainings at once", DefaultValueFactory = _ => 1 }.AtLeast(1);
        var partition = new Option<string?>("--partition") { Description = "slurm: the partition" };
        var gpus = new Option<int?>("--gpus-per-task") { Description = "slurm: GPUs per training" }.AtLeast(1);
        var time = new Option<string?>("--time") { Description = "slurm: time limit per training, e.g. 24:00:00 (a task that runs out ends as failed and resumes from its checkpoint when submitted again)" };
        var cpus = new Option<int?>("--cpus-per-task") { Description = "slurm: cores per training (also its libtorch threads)" }.AtLeast(1);
        var memory = new Option<string?>("--mem") { Description = "slurm: memory per training, e.g. 32G" };
        var maxParallel = new Option<int?>("--max-parallel") { Description = "slurm: at most this many trainings at once" }.AtLeast(1);
        var command = new Command("submit", "Train the sweep's runs that are not in the cache (nor queued): one Slurm array job, or local processes.")
            { sweepFolder, scheduler, jobs, partition, gpus, time, cpus, memory, maxParallel };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var sweep = Sweep.Open(parse.GetValue(sweepFolder)!);
            // Queued or training already: a second task would only wait for the first.
            var statuses = SweepStatus.Of(sweep);
            var todo = statuses.Where(s => s.State is SweepRunState.Failed or SweepRunState.Planned).Select(s => s.Run).ToList();
            output.WriteLine($"{sweep.Runs.Count} training(s): {SweepStatus.Summary(statuses)}");
            if (todo.Count == 0)
            {
                output.WriteLine("nothing to submit");
                return 0;
            }
            foreach (var run in todo)
            {
                try { sweep.LoadConfig(run); }
                catch (InvalidDataException e) { output.WriteLine($"warning: {run.Run} will fail: {e.Message}"); }
            }
            if (parse.GetValue(scheduler) == "local")
            {
                int failed = await LocalScheduler.RunAsync(sweep, todo, parse.GetValue(jobs), output, cancellationToken);
                output.WriteLine($"{todo.Count - failed} of {todo.Count} training(s) finished; sasnet sweep status {sweep.Folder}");
                return failed == 0 ? 0 : Program.FailureExitCode;
            }
            var submission = SlurmScheduler.Submit(sweep, todo, new SlurmOptions(parse.GetValue(partition), parse.GetValue(gpus), parse.GetValue(time),
                parse.GetValue(cpus), parse.GetValue(memory), parse.GetValue(maxParallel)));
            output.WriteLine($"submitted {todo.Count} training(s) as Slurm array job {submission.Job} ({Path.Combine(sweep.Folder, submission.Script!)})");
            output.WriteLine($"follow: sasnet sweep status {sweep.Folder} [--wait]");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var sweepFolder = SweepFolder();
        var wait = new Option<bool>("--wait") { Description = "wait until nothing is running or pending; exit 0 only when every run is done" };
        var poll = new Option<int>("--poll") { Description = "with --wait: seconds between looks", DefaultValueFactory = _ => 30 }.AtLeast(1);
        var command = new Command("status", "Done / running / pending / failed per training, from the run cache and the scheduler, with the failed ones' last log lines.")
            { sweepFolder, wait, poll };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var sweep = Sweep.Open(parse.GetValue(sweepFolder)!);
            var statuses = SweepStatus.Of(sweep);
            if (parse.GetValue(wait))
            {
                var seconds = Math.Max(1, parse.GetValue(poll));
                string last = "";
                while (statuses.Any(s => s.State is SweepRunState.Running or SweepRunState.Pending))
                {
                    var summary = SweepStatus.Summary(statuses);
                    if (summary != last) output.WriteLine($"{DateTime.Now:HH:mm:ss} {summary}");
                    last = summary;
                    await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
                    statuses = SweepStatus.Of(sweep);
                }
            }
            Print(output, sweep, statuses);
            return !parse.GetValue(wait) || statuses.All(s => s.State == SweepRunState.Done) ? 0 : Program.FailureExitCode;
        });
        return command;
    }

    private static void Print(TextWriter output, Sweep sweep, IReadOnlyList<SweepRunStatus> statuses)
    {
        int width = Math.Max(3, statuses.Count == 0 ? 3 : statuses.Max(s => s.Run.Run.Length));
        output.WriteLine($"{"run".PadRight(width)}  {"state",-8}  {"notebooks",-24}  detail");
        foreach (var status in statuses)
            output.WriteLine($"{status.Run.Run.PadRight(width)}  {status.State.ToString().ToLowerInvariant(),-8}  {string.Join(",", status.Run.Notebooks),-24}  {status.Detail}");
        foreach (var failed in statuses.Where(s => s.State == SweepRunState.Failed))
        {
            output.WriteLine();
            output.WriteLine($"{failed.Run.Run} failed ({failed.Detail}); the end of {sweep.LogPath(failed.Run.Run)}:");
            foreach (var line in failed.LogTail) output.WriteLine($"  | {line}");
        }
        output.WriteLine();
        output.WriteLine($"{statuses.Count} training(s): {SweepStatus.Summary(statuses)}; cache {sweep.CacheRoot}");
    }

    // The executable the tasks run: this one, unless this process is 'dotnet SasNet.Cli.dll' or a test host.
    private static string KitExecutable()
    {
        var process = Environment.ProcessPath ?? "";
        var name = Path.GetFileNameWithoutExtension(process);
        if (name is "SasNet.Cli" or "sasnet") return process;
        var beside = Path.Combine(AppContext.BaseDirectory, "SasNet.Cli");
        if (File.Exists(beside)) return beside;
        throw new CliUsageException($"cannot tell which sasnet executable the tasks should run (this process is {process}); run the published artifacts/kit/sasnet");
    }
}
