// The entry point. Node's compile cache is switched on before the server's modules load (a static import would
// load them first): a start then reads compiled code instead of compiling thousands of modules. The cache is
// NODE_COMPILE_CACHE when set, else the one the bundle ships next to this file (filled at build, see
// scripts/build-bundle.ts; read-only in the image), else the OS temporary directory, where a start reuses what
// the one before compiled. When it cannot be used the server starts without it.
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

const shipped = fileURLToPath(new URL('compile-cache', import.meta.url));
try {
  enableCompileCache(!process.env.NODE_COMPILE_CACHE && existsSync(shipped) ? shipped : undefined);
} catch {
  // A start without the cache is only slower.
}

const { bootstrap } = await import('./server.js');
bootstrap().catch((err: Error) => {
  console.error(`failed to start: ${err.message}`);
  process.exit(1);
});
