// tools/chromium.mjs: what the browser benchmarks share: a folder served by tools/serve.mjs
// (cross-origin isolated, so ONNX Runtime Web may use threads) and Debian's Chromium, headless,
// driven by playwright-core (never a downloaded browser).
//
//   const server = await serve(folder);                 // {url, stop()}
//   const browser = await launchChromium({webgpu: true});
//   const peaks = processPeaks(await processes(browser)); // peak resident memory per process kind
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const tools = dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Why the browser benchmarks cannot run (a sentence), or null.
export function browserMissing(site) {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (tools/setup.sh installs it)`;
  if (!existsSync(join(site, 'index.html')) || !existsSync(join(site, 'ort/ort.wasm.min.mjs'))) {
    return `no site with ONNX Runtime Web in ${site} (run tools/build.sh)`;
  }
  return null;
}

// Serves `folder` with tools/serve.mjs on a free port.
export function serve(folder) {
  return new Promise((resolveStart, reject) => {
    const server = spawn(process.execPath, [join(tools, 'serve.mjs'), '0', folder], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const collect = (chunk) => {
      out += chunk;
      const m = out.match(/serving (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) resolveStart({ url: m[1], stop: () => server.kill() });
    };
    server.stdout.on('data', collect);
    server.stderr.on('data', (chunk) => {
      out += chunk;
    });
    server.on('exit', (code) => reject(new Error(`tools/serve.mjs exited (${code}): ${out.trim()}`)));
  });
}

// Headless Chromium with the flags the end-to-end tests use; `webgpu` adds --enable-unsafe-webgpu
// (Linux Chromium offers WebGPU only with it; here its adapter is SwiftShader, on the CPU).
export async function launchChromium({ webgpu = false } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: webgpu ? [...ARGS, '--enable-unsafe-webgpu'] : ARGS });
}

// [{type: 'browser' | 'renderer' | 'GPU' | ..., pid}] of a running Chromium.
export async function processes(browser) {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  return processInfo.map((p) => ({ type: p.type, pid: p.id }));
}

// Peak resident set (Linux VmHWM, MB) per process kind: the largest renderer (with one page
// open, the page's: its main thread, workers, wasm memories), the GPU process, the browser.
export function processPeaks(list) {
  const peak = (pid) => {
    try {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0; // the process has gone
    }
  };
  const largest = (type) => Math.max(0, ...list.filter((p) => p.type === type).map((p) => peak(p.pid)));
  return { renderer: largest('renderer'), gpu: largest('GPU'), browser: largest('browser') };
}
