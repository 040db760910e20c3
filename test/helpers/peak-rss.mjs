// Loaded with `node --import` in front of a child process under test: when the process exits, its peak resident set
// size (kB: the whole process, worker threads included) is written to the file named by ARCHE_TEST_PEAK_RSS_FILE.
// Tests use it to check that memory stays flat; no tool outside Node is needed.
// On Linux it is VmHWM, the high-water mark of this program's own memory. Not getrusage's maxRSS
// (process.resourceUsage().maxRSS): Linux carries it over from before exec, so a child spawned (forked) by a test
// process holding 300 MB reported at least 300 MB whatever it used itself. Elsewhere maxRSS is all there is.
import { readFileSync, writeFileSync } from 'node:fs';

function peakKb() {
  try {
    const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const out = process.env.ARCHE_TEST_PEAK_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(peakKb())));
