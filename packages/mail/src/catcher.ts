import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface TCaughtMail {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface TMailCatcher {
  smtpUrl: string;
  inboxUrl: string;
  messages(): TCaughtMail[];
  close(): Promise<void>;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function inboxPage(messages: TCaughtMail[]): string {
  const rows = messages
    .map(
      (m) =>
        `<details><summary><b>${escapeHtml(m.subject)}</b> → ${escapeHtml(m.to.join(', '))} <small>${m.receivedAt}</small></summary><iframe sandbox srcdoc="${escapeHtml(m.html)}" style="width:100%;height:480px;border:1px solid #ddd"></iframe><pre>${escapeHtml(m.text)}</pre></details>`,
    )
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><title>Local inbox</title><body style="font-family:system-ui;margin:2rem"><h1>Local inbox (${messages.length})</h1><p>Every mail the platform sends in development lands here; nothing leaves this machine. JSON: <a href="/api/messages">/api/messages</a></p>${rows || '<p>No mail yet.</p>'}</body>`;
}

/**
 * A real SMTP server for development and tests (no mail leaves the machine) with an inbox: `GET /` (a page),
 * `GET /api/messages[?to=address]` (JSON, newest last), `DELETE /api/messages`. Port 0 picks a free port.
 */
export async function startMailCatcher(
  options: { smtpPort?: number; httpPort?: number; host?: string } = {},
): Promise<TMailCatcher> {
  const host = options.host ?? '127.0.0.1';
  let messages: TCaughtMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    // Closing tells clients still connected (a worker's idle pooled connections) 421 after 1 s, as a server going
    // down would, instead of waiting 30 s for them to leave.
    closeTimeout: 1_000,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) =>
            a.value.map((v) => v.address ?? ''),
          );
          messages.push({
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            from: parsed.from?.text ?? '',
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.server.once('error', reject);
    smtp.listen(options.smtpPort ?? 0, host, () => resolve());
  });
  const web = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://inbox');
    if (url.pathname === '/api/messages' && req.method === 'DELETE') {
      messages = [];
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/api/messages') {
      const to = url.searchParams.get('to')?.toLowerCase();
      const list = to ? messages.filter((m) => m.to.some((a) => a.toLowerCase() === to)) : messages;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(list));
      return;
    }
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(inboxPage(messages));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    web.once('error', reject);
    web.listen(options.httpPort ?? 0, host, () => resolve());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (web.address() as AddressInfo).port;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    inboxUrl: `http://${host === '127.0.0.1' ? 'localhost' : host}:${httpPort}`,
    messages: () => [...messages],
    async close() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => web.close(() => resolve()));
    },
  };
}
