// Loaded with `node --import` in front of a child process under test: when the process exits, its peak resident set
// size (process.resourceUsage().maxRSS, kB: the whole process, worker threads included) is written to the file named
// by ARCHE_TEST_PEAK_RSS_FILE. Tests use it to check that memory stays flat; no tool outside Node is needed.
import { writeFileSync } from 'node:fs';

const out = process.env.ARCHE_TEST_PEAK_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
