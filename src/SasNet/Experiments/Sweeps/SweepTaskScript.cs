using SasNet.IO;

namespace SasNet.Experiments.Sweeps;

/// <summary>
/// <c>task.sh RUN</c>, one training of a sweep, the same under Slurm and under the local scheduler: appends to
/// <c>logs/RUN.log</c> a header (host, Slurm job and restart count), runs <c>sasnet train --config configs/RUN.json
/// --cache CACHE</c>, and writes its exit code to <c>exit/RUN</c>. A task killed by the scheduler writes no exit code; a
/// requeued one starts again here and the training resumes from its checkpoint in the cache (its log says so).
/// </summary>
public static class SweepTaskScript
{
    /// <summary>Writes <see cref="Sweep.TaskScript"/> (executable).</summary>
    public static void Write(Sweep sweep)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var text = $$"""
            #!/usr/bin/env bash
            # One training of the sweep in {{Quote(sweep.Folder)}}: bash task.sh RUN (see sweep.json for the runs).
            set -uo pipefail
            run="${1:?usage: task.sh RUN}"
            sweep={{Quote(sweep.Folder)}}
            config="$sweep/configs/$run.json"
            mkdir -p "$sweep/logs" "$sweep/exit"
            exec >>"$sweep/logs/$run.log" 2>&1
            rm -f "$sweep/exit/$run"
            slurm=""
            if [[ -n "${SLURM_JOB_ID:-}" ]]; then
              slurm=", Slurm job ${SLURM_ARRAY_JOB_ID:-$SLURM_JOB_ID}_${SLURM_ARRAY_TASK_ID:-0} (job id $SLURM_JOB_ID, restart ${SLURM_RESTART_COUNT:-0})"
            fi
            echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) task $run on $(hostname)$slurm"
            if [[ ! -f "$config" ]]; then
              echo "task.sh: no configuration $config in this sweep"
              code=2
            else
              export SASNET_CACHE={{Quote(sweep.CacheRoot)}}
              # One libtorch thread per core the scheduler gave this task.
              cores="${SLURM_CPUS_PER_TASK:-$(nproc)}"
              export SASNET_THREADS="${SASNET_THREADS:-$cores}"
              {{Quote(sweep.Sasnet)}} train --config "$config" --cache "$SASNET_CACHE"
              code=$?
            fi
            echo "$code" > "$sweep/exit/$run.tmp" && mv -f "$sweep/exit/$run.tmp" "$sweep/exit/$run"
            echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) task $run ended with exit code $code"
            exit "$code"

            """;
        AtomicFile.WriteAllText(sweep.TaskScript, text);
        // The schedulers run it as 'bash task.sh'; executable too, for a user who runs one task by hand.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(sweep.TaskScript, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>A word for bash: single-quoted, with single quotes inside escaped.</summary>
    public static string Quote(string text) => "'" + (text ?? throw new ArgumentNullException(nameof(text))).Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
