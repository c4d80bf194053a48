// The networking.k8s.io/v1 Ingress and IngressClass shapes the ingress controller reads.
import type { KubeObject } from '../../apis/meta.js';

export interface ServiceBackendPort {
  number?: number;
  name?: string;
}

export interface IngressBackend {
  service?: { name: string; port?: ServiceBackendPort };
  resource?: { apiGroup?: string; kind?: string; name?: string };
}

export interface HTTPIngressPath {
  path?: string;
  pathType?: string;
  backend: IngressBackend;
}

export interface IngressRule {
  host?: string;
  http?: { paths?: HTTPIngressPath[] };
}

export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  ports?: { port: number; protocol: string; error?: string }[];
}

export interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string | null;
    defaultBackend?: IngressBackend;
    tls?: IngressTLS[];
    rules?: IngressRule[];
  };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

export interface IngressClass extends KubeObject {
  spec?: { controller?: string };
}

/** The legacy class annotation, still honoured by ingress-nginx. */
export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const SSL_REDIRECT_ANNOTATION = 'nginx.ingress.kubernetes.io/ssl-redirect';
