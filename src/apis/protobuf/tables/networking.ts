// Protobuf field table: networking.k8s.io/v1 Ingress, IngressClass, NetworkPolicy.
// Field numbers from k8s.io/api networking/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** networking messages (networking). */
export const networkingMessages: MessageTable = {
  Ingress: 'metadata=1:meta.ObjectMeta spec=2:IngressSpec status=3:IngressStatus',
  IngressClass: 'metadata=1:meta.ObjectMeta spec=2:IngressClassSpec',
  NetworkPolicy: 'metadata=1:meta.ObjectMeta spec=2:NetworkPolicySpec',
  IngressSpec: `
    defaultBackend=1:IngressBackend tls=2:IngressTLS[] rules=3:IngressRule[]
    ingressClassName=4*`,
  IngressStatus: 'loadBalancer=1:IngressLoadBalancerStatus',
  IngressClassSpec: 'controller=1 parameters=2:IngressClassParametersReference',
  NetworkPolicySpec: `
    podSelector=1:meta.LabelSelector ingress=2:NetworkPolicyIngressRule[]
    egress=3:NetworkPolicyEgressRule[] policyTypes=4[]`,
  IngressBackend: 'resource=3:core.TypedLocalObjectReference service=4:IngressServiceBackend',
  IngressTLS: 'hosts=1[] secretName=2',
  IngressRule: 'host=1 ingressRuleValue=2:IngressRuleValue~',
  IngressLoadBalancerStatus: 'ingress=1:IngressLoadBalancerIngress[]',
  IngressClassParametersReference: 'apiGroup=1* kind=2! name=3! scope=4* namespace=5*',
  NetworkPolicyIngressRule: 'ports=1:NetworkPolicyPort[] from=2:NetworkPolicyPeer[]',
  NetworkPolicyEgressRule: 'ports=1:NetworkPolicyPort[] to=2:NetworkPolicyPeer[]',
  IngressServiceBackend: 'name=1! port=2:ServiceBackendPort',
  IngressRuleValue: 'http=1:HTTPIngressRuleValue',
  IngressLoadBalancerIngress: 'ip=1 hostname=2 ports=4:IngressPortStatus[]',
  NetworkPolicyPort: 'protocol=1* port=2:IntOrString endPort=3:int32*',
  NetworkPolicyPeer: `
    podSelector=1:meta.LabelSelector namespaceSelector=2:meta.LabelSelector ipBlock=3:IPBlock`,
  ServiceBackendPort: 'name=1 number=2:int32',
  HTTPIngressRuleValue: 'paths=1:HTTPIngressPath[]',
  IngressPortStatus: 'port=1:int32! protocol=2! error=3*',
  IPBlock: 'cidr=1! except=2[]',
  HTTPIngressPath: 'path=1 backend=2:IngressBackend pathType=3*',
};
