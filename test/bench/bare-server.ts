// The runtime's ceiling: a bare node:https server that answers every request with a fixed JSON body.
// It asks for the same client certificate as the API servers (TLS only, no headers looked at) and serves,
// for each method, URL and Accept header, the bytes in BODIES_DIR/<bodyFileName(...)>, read once and kept in memory.
// SIGHUP forgets the bodies read so far. Run as its own process so its CPU and memory are measured apart: node bare-server.js PORT CERT KEY CA BODIES_DIR
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';

export function bodyFileName(method: string, url: string, accept = ''): string {
  return `${createHash('sha256').update(`${method} ${url} ${accept}`).digest('hex').slice(0, 32)}.json`;
}

function main([port, cert, key, ca, dir]: string[]): void {
  const bodies = new Map<string, Buffer>();
  const notFound = Buffer.from('{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}');
  const server = createServer(
    { cert: readFileSync(cert!), key: readFileSync(key!), ca: readFileSync(ca!), requestCert: true },
    (req, res) => {
      const accept = req.headers.accept ?? '';
      const key = `${req.method} ${req.url} ${accept}`;
      let body = bodies.get(key);
      if (!body) {
        try {
          body = readFileSync(join(dir!, bodyFileName(req.method!, req.url!, accept)));
          bodies.set(key, body);
        } catch {
          body = notFound;
        }
      }
      const send = () => {
        res.writeHead(body === notFound ? 404 : 200, {
          'Content-Type': 'application/json',
          'Content-Length': body.length,
        });
        res.end(body);
      };
      if (req.method === 'GET') send();
      else req.resume().once('end', send);
    },
  );
  server.keepAliveTimeout = 90_000;
  server.listen(Number(port), '127.0.0.1', () => console.log(`bare server on https://127.0.0.1:${port}`));
  process.on('SIGHUP', () => bodies.clear()); // new bodies were written
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
