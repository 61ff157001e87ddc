// Uploading a file as a client does: POST /files with the bytes as the body (node:http, so that the
// body is sent whole with its Content-Length); the answer's JSON (id, fileId, downloadUrl, ...).
import http from 'node:http';

export function uploadFile(graphqlUrl: string, auth: { token: string; province: string }, kind: string, name: string, bytes: Buffer): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(`/files?kind=${kind}&name=${encodeURIComponent(name)}`, graphqlUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.token}`, 'x-province': auth.province, 'content-length': String(bytes.length) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}
