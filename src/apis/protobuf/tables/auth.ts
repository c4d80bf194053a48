// Protobuf field table: authentication.k8s.io/v1 and authorization.k8s.io/v1 reviews, TokenRequest.
// Field numbers from k8s.io/api generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** authentication messages (auth). */
export const authenticationMessages: MessageTable = {
  TokenRequest: 'metadata=1:meta.ObjectMeta spec=2:TokenRequestSpec status=3:TokenRequestStatus',
  TokenReview: 'metadata=1:meta.ObjectMeta spec=2:TokenReviewSpec status=3:TokenReviewStatus',
  SelfSubjectReview: 'metadata=1:meta.ObjectMeta status=2:SelfSubjectReviewStatus',
  TokenRequestSpec: `
    audiences=1[] boundObjectRef=3:BoundObjectReference expirationSeconds=4:int64*`,
  TokenRequestStatus: 'token=1! expirationTimestamp=2:Time',
  TokenReviewSpec: 'token=1 audiences=2[]',
  TokenReviewStatus: 'authenticated=1:bool user=2:UserInfo error=3 audiences=4[]',
  SelfSubjectReviewStatus: 'userInfo=1:UserInfo',
  BoundObjectReference: 'kind=1 apiVersion=2 name=3 uid=4',
  UserInfo: 'username=1 uid=2 groups=3[] extra=4:map<StringList>',
};

/** authorization messages (auth). */
export const authorizationMessages: MessageTable = {
  SelfSubjectAccessReview: `
    metadata=1:meta.ObjectMeta spec=2:SelfSubjectAccessReviewSpec
    status=3:SubjectAccessReviewStatus`,
  SelfSubjectRulesReview: `
    metadata=1:meta.ObjectMeta spec=2:SelfSubjectRulesReviewSpec
    status=3:SubjectRulesReviewStatus`,
  SubjectAccessReview: `
    metadata=1:meta.ObjectMeta spec=2:SubjectAccessReviewSpec
    status=3:SubjectAccessReviewStatus`,
  LocalSubjectAccessReview: `
    metadata=1:meta.ObjectMeta spec=2:SubjectAccessReviewSpec
    status=3:SubjectAccessReviewStatus`,
  SelfSubjectAccessReviewSpec: `
    resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes`,
  SubjectAccessReviewStatus: 'allowed=1:bool! reason=2 evaluationError=3 denied=4:bool',
  SelfSubjectRulesReviewSpec: 'namespace=1',
  SubjectRulesReviewStatus: `
    resourceRules=1:ResourceRule[] nonResourceRules=2:NonResourceRule[] incomplete=3:bool!
    evaluationError=4`,
  SubjectAccessReviewSpec: `
    resourceAttributes=1:ResourceAttributes nonResourceAttributes=2:NonResourceAttributes
    user=3 groups=4[] extra=5:map<StringList> uid=6`,
  ResourceAttributes: `
    namespace=1 verb=2 group=3 version=4 resource=5 subresource=6 name=7
    fieldSelector=8:FieldSelectorAttributes labelSelector=9:LabelSelectorAttributes`,
  NonResourceAttributes: 'path=1 verb=2',
  ResourceRule: 'verbs=1[] apiGroups=2[] resources=3[] resourceNames=4[]',
  NonResourceRule: 'verbs=1[] nonResourceURLs=2[]',
  FieldSelectorAttributes: 'rawSelector=1 requirements=2:meta.FieldSelectorRequirement[]',
  LabelSelectorAttributes: 'rawSelector=1 requirements=2:meta.LabelSelectorRequirement[]',
};
