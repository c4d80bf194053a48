// Strategies of the networking.k8s.io group: Ingress and IngressClass defaulting and validation
// (Kubernetes 1.32 registry/networking). networking.k8s.io/v1 Ingress has no defaults.
import type { KindStrategy } from '../resource-type.js';
import {
  defaultIngressClass,
  validateIngressClass,
  validateIngressClassUpdate,
} from './ingress-class.js';
import { validateIngressCreate } from './ingress.js';

/** Strategies of the networking.k8s.io group, keyed by kind. */
export const networkingStrategies: Record<string, KindStrategy> = {
  Ingress: { validate: validateIngressCreate },
  IngressClass: {
    default: defaultIngressClass,
    validate: validateIngressClass,
    validateUpdate: validateIngressClassUpdate,
  },
};
