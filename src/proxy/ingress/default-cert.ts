// The certificate served when no Ingress TLS entry covers the SNI name: self-signed, made once
// per start (ingress-nginx serves a "Kubernetes Ingress Controller Fake Certificate" likewise).

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A fresh self-signed EC certificate for the ingress' default server. */
export async function defaultCertificate(now: Date): Promise<KeyPair> {
  // Loaded on demand: most runs never serve HTTPS.
  const { generate } = await import('selfsigned');
  const result = await generate(
    [{ name: 'commonName', value: 'Kubernetes Ingress Controller Fake Certificate' }],
    {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - DAY_MS),
      notAfterDate: new Date(now.getTime() + 365 * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'ingress.local' }] },
      ],
    },
  );
  return { certPem: result.cert, keyPem: result.private };
}
