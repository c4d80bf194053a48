// The mount steps a container's init (PID 1, in its own mount namespace) runs before the app:
// bind mounts of volumes and node files, its cgroup view, a read-only root. Paths only travel as
// positional arguments; missing mount points are created in a tmpfs-backed overlay, never on the host.

/** One mount the init makes: `source` bound at `target` inside the container. */
export interface MountStep {
  source: string;
  target: string;
  readOnly: boolean;
}

/** What the init sets up in the container's mount namespace. */
export interface MountSetup {
  /** An empty host directory the init may mount its scratch tmpfs on (overlay upper dirs). */
  scratchDir: string;
  /** Binds in order: parents before children. */
  mounts: MountStep[];
  /** Remount / read-only once everything is mounted (readOnlyRootFilesystem). */
  readOnlyRoot?: boolean;
}

/**
 * Shell functions and the step loop. Reads `$1` = scratch dir, `$2` = step count, then 4 words per
 * step (`bind SRC DST ro|rw`, `rootro - - -`), and shifts them off. Failures go to fd 4 as one line
 * `kubeproc-init: <message>` and end the init with 125.
 */
export const MOUNT_STEPS = String.raw`
fail() { printf 'kubeproc-init: %s\n' "$1" >&4; exit 125; }
run() { out=$("$@" 2>&1) || { out=$(printf '%s' "$out" | tr '\n' ' '); return 1; }; }
under() {
  o_ifs=$IFS; IFS='
'; set -f
  for o in $ours; do case $1 in "$o"|"$o"/*) IFS=$o_ifs; set +f; return 0;; esac; done
  IFS=$o_ifs; set +f; return 1
}
scratch() {
  [ -z "$S" ] || return 0
  run mount -t tmpfs -o mode=0700,size=64m kubeproc-scratch "$scratch_dir" ||
    fail "mounting scratch tmpfs at $scratch_dir: $out"
  S=$scratch_dir
}
overlay() {
  case $1 in *,*|*:*) fail "cannot create mount points in $1: its path holds ',' or ':'";; esac
  scratch
  k=$((k + 1)); d=$S/o$k
  mkdir "$d" "$d/u" "$d/w" "$d/m" || fail "creating overlay dirs in $S"
  subs=''
  while read -r _ _ _ _ mp _; do
    case $mp in *\\*) ;; "$1"/*) subs="$subs
$mp";; esac
  done </proc/self/mountinfo
  run mount -t overlay overlay -o "lowerdir=$1,upperdir=$d/u,workdir=$d/w" "$d/m" ||
    fail "mounting an overlay on $1 (to create mount points): $out"
  o_ifs=$IFS; IFS='
'; set -f
  for mp in $subs; do
    t=$d/m\${mp#"$1"}
    [ -e "$t" ] || { [ -d "$mp" ] && mkdir -p "$t"; } || { mkdir -p "\${t%/*}"; : >"$t"; }
    run mount --bind "$mp" "$t" || { IFS=$o_ifs; set +f; fail "re-mounting $mp: $out"; }
  done
  IFS=$o_ifs; set +f
  run mount --move "$d/m" "$1" || fail "moving the overlay onto $1: $out"
  ours="$ours
$1"
}
mkpoint() {
  [ ! -e "$1" ] || return 0
  p=$1
  while [ ! -e "$p" ]; do p=\${p%/*}; [ -n "$p" ] || p=/; done
  [ -d "$p" ] || fail "mount point $1: $p is not a directory"
  if ! under "$p"; then
    [ "$p" != / ] || fail "mount point $1: a missing top-level directory cannot be created without changing the node's root filesystem"
    overlay "$p"
  fi
  if [ "$2" = d ]; then run mkdir -p "$1"; else run mkdir -p "\${1%/*}" && run touch "$1"; fi ||
    fail "creating mount point $1: $out"
}
scratch_dir=$1; n=$2; shift 2
S=''; k=0; ours=''
while [ "$n" -gt 0 ]; do
  op=$1; src=$2; dst=$3; ro=$4; shift 4; n=$((n - 1))
  case $op in
  bind)
    if [ -d "$src" ]; then t=d; else t=f; fi
    [ -e "$src" ] || fail "error mounting \"$src\" to rootfs at \"$dst\": $src does not exist"
    mkpoint "$dst" $t
    run mount --bind "$src" "$dst" || fail "error mounting \"$src\" to rootfs at \"$dst\": $out"
    if [ "$ro" = ro ]; then
      run mount -o remount,bind,ro "$dst" || fail "error remounting \"$dst\" read-only: $out"
    fi
    [ $t = f ] || ours="$ours
$dst";;
  rootro)
    run mount -o remount,bind,ro / || fail "error remounting / read-only: $out";;
  esac
done
`.replaceAll('\\$', '$');

/** The positional words of a MountSetup, as MOUNT_STEPS reads them. */
export function mountStepWords(setup: MountSetup): string[] {
  const words: string[] = [];
  for (const m of setup.mounts) {
    words.push('bind', m.source, m.target, m.readOnly ? 'ro' : 'rw');
  }
  if (setup.readOnlyRoot) {
    words.push('rootro', '-', '-', '-');
  }
  return [setup.scratchDir, String(words.length / 4), ...words];
}
