#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for testing sweeps: Debian's slurm-wlm and munge.
#   bash environment/slurm/local-cluster.sh start [STATE_DIR]   # installs what is missing, writes slurm.conf, starts munged, slurmctld, slurmd
#   bash environment/slurm/local-cluster.sh stop  [STATE_DIR]   # stops the daemons it started
# After 'start', export SLURM_CONF=STATE_DIR/slurm.conf so that sbatch, squeue and scontrol talk to it.
# Needs root (slurmd runs jobs as their submitter). The node offers all cores and 3/4 of the memory.
set -euo pipefail
action="${1:-}"
STATE="${2:-/tmp/sasnet-slurm}"
case "$action" in
  start|stop) ;;
  *) echo "usage: $0 start|stop [STATE_DIR]" >&2; exit 2 ;;
esac

# The Slurm daemons of this state folder: by pid file, and by command line (a pid file can be stale, or missing after a
# start that failed half-way); they are waited for, so that a new start finds its ports free.
stop_slurm_daemons() {
  local daemon pid
  for daemon in slurmd slurmctld; do
    if [[ -f "$STATE/$daemon.pid" ]]; then
      pid="$(cat "$STATE/$daemon.pid")"
      kill "$pid" 2>/dev/null || true
      rm -f "$STATE/$daemon.pid"
    fi
    pkill -f "^$daemon -f $STATE/slurm.conf" 2>/dev/null || true
  done
  for _ in $(seq 40); do
    pgrep -f "^slurm(ctld|d) -f $STATE/slurm.conf" >/dev/null || return 0
    sleep 0.25
  done
  pkill -9 -f "^slurm(ctld|d) -f $STATE/slurm.conf" 2>/dev/null || true
}

stop_daemons() {
  stop_slurm_daemons
  if [[ -f "$STATE/munged.started" ]]; then
    pkill -x munged 2>/dev/null || true
    rm -f "$STATE/munged.started"
  fi
}

if [[ "$action" == stop ]]; then
  stop_daemons
  echo "local Slurm cluster in $STATE stopped"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then echo "$0 start needs root (slurmd runs jobs as their users)" >&2; exit 1; fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

mkdir -p "$STATE"/{spool,ctld,log}
node="$(hostname -s)"
cpus="$(nproc)"
memory_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) * 3 / 4 / 1024 ))
cat > "$STATE/slurm.conf" <<CONF
ClusterName=sasnet-local
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
JobRequeue=1
MinJobAge=3600
KillWait=10
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
# A task that asks for no memory gets its cores' share, so that one-core tasks run side by side.
DefMemPerCPU=$(( memory_mb / cpus ))
NodeName=$node CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$STATE/slurm.conf"

# munged must answer, not merely exist: a daemon that died leaves its pid and socket behind.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  pkill -x munged 2>/dev/null && sleep 1
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  [[ -f /etc/munge/munge.key ]] || { mungekey --create --keyfile /etc/munge/munge.key; chown munge:munge /etc/munge/munge.key; }
  runuser -u munge -- munged --force
  touch "$STATE/munged.started"
  for _ in $(seq 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n | unmunge >/dev/null || { echo "munged does not answer; see /var/log/munge/munged.log" >&2; exit 1; }
fi
stop_slurm_daemons
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

for _ in $(seq 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "local Slurm cluster up: node $node, $cpus CPUs, ${memory_mb} MB; export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 1
done
echo "the local Slurm cluster did not come up within 60 s; logs in $STATE/log:" >&2
tail -n 20 "$STATE"/log/*.log >&2 || true
exit 1
