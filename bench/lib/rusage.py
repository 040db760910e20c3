# Runs a command and writes its wall time and peak RSS (getrusage RUSAGE_CHILDREN: the largest resident set of
# the child or any descendant it waited for, in KiB on Linux) as JSON to the file given first.
# Used because /usr/bin/time is not installed and Node cannot read its children's rusage.
import json, resource, subprocess, sys, time

out = sys.argv[1]
cmd = sys.argv[2:]
t0 = time.monotonic()
rc = subprocess.call(cmd)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, 'w') as f:
    json.dump({'rc': rc, 'wall_s': wall, 'maxrss_kb': ru.ru_maxrss, 'utime_s': ru.ru_utime, 'stime_s': ru.ru_stime}, f)
