// Protobuf field table: core/v1 Pod, PodTemplate, PodSpec, PodStatus and pod-level settings.
// Field numbers from k8s.io/api core/v1 generated.proto (v0.36), flags from the Go types;
// the notation is documented in ../schema.ts.

import type { MessageTable } from '../schema.js';

/** core messages (core-pod). */
export const corePodMessages: MessageTable = {
  Pod: 'metadata=1:meta.ObjectMeta spec=2:PodSpec status=3:PodStatus',
  PodTemplate: 'metadata=1:meta.ObjectMeta template=2:PodTemplateSpec',
  PodSpec: `
    volumes=1:Volume[] containers=2:Container[] restartPolicy=3
    terminationGracePeriodSeconds=4:int64* activeDeadlineSeconds=5:int64* dnsPolicy=6
    nodeSelector=7:map serviceAccountName=8 serviceAccount=9 nodeName=10 hostNetwork=11:bool
    hostPID=12:bool hostIPC=13:bool securityContext=14:PodSecurityContext
    imagePullSecrets=15:LocalObjectReference[] hostname=16 subdomain=17 affinity=18:Affinity
    schedulerName=19 initContainers=20:Container[] automountServiceAccountToken=21:bool*
    tolerations=22:Toleration[] hostAliases=23:HostAlias[] priorityClassName=24
    priority=25:int32* dnsConfig=26:PodDNSConfig shareProcessNamespace=27:bool*
    readinessGates=28:PodReadinessGate[] runtimeClassName=29* enableServiceLinks=30:bool*
    preemptionPolicy=31* overhead=32:map<Quantity>
    topologySpreadConstraints=33:TopologySpreadConstraint[]
    ephemeralContainers=34:EphemeralContainer[] setHostnameAsFQDN=35:bool* os=36:PodOS
    hostUsers=37:bool* schedulingGates=38:PodSchedulingGate[]
    resourceClaims=39:PodResourceClaim[] resources=40:ResourceRequirements
    hostnameOverride=41* schedulingGroup=43:PodSchedulingGroup`,
  PodStatus: `
    phase=1 conditions=2:PodCondition[] message=3 reason=4 hostIP=5 podIP=6 startTime=7:Time
    containerStatuses=8:ContainerStatus[] qosClass=9
    initContainerStatuses=10:ContainerStatus[] nominatedNodeName=11 podIPs=12:PodIP[]
    ephemeralContainerStatuses=13:ContainerStatus[] resize=14
    resourceClaimStatuses=15:PodResourceClaimStatus[] hostIPs=16:HostIP[]
    observedGeneration=17:int64 extendedResourceClaimStatus=18:PodExtendedResourceClaimStatus
    allocatedResources=19:map<Quantity> resources=20:ResourceRequirements
    nodeAllocatableResourceClaimStatuses=21:NodeAllocatableResourceClaimStatus[]`,
  PodTemplateSpec: 'metadata=1:meta.ObjectMeta spec=2:PodSpec',
  PodSecurityContext: `
    seLinuxOptions=1:SELinuxOptions runAsUser=2:int64* runAsNonRoot=3:bool*
    supplementalGroups=4:int64[] fsGroup=5:int64* runAsGroup=6:int64* sysctls=7:Sysctl[]
    windowsOptions=8:WindowsSecurityContextOptions fsGroupChangePolicy=9*
    seccompProfile=10:SeccompProfile appArmorProfile=11:AppArmorProfile
    supplementalGroupsPolicy=12* seLinuxChangePolicy=13*`,
  Affinity: `
    nodeAffinity=1:NodeAffinity podAffinity=2:PodAffinity podAntiAffinity=3:PodAntiAffinity`,
  Toleration: 'key=1 operator=2 value=3 effect=4 tolerationSeconds=5:int64*',
  HostAlias: 'ip=1! hostnames=2[]',
  PodDNSConfig: 'nameservers=1[] searches=2[] options=3:PodDNSConfigOption[]',
  PodReadinessGate: 'conditionType=1!',
  TopologySpreadConstraint: `
    maxSkew=1:int32! topologyKey=2! whenUnsatisfiable=3! labelSelector=4:meta.LabelSelector
    minDomains=5:int32* nodeAffinityPolicy=6* nodeTaintsPolicy=7* matchLabelKeys=8[]`,
  PodOS: 'name=1!',
  PodSchedulingGate: 'name=1!',
  PodResourceClaim: 'name=1! resourceClaimName=3* resourceClaimTemplateName=4*',
  PodSchedulingGroup: 'podGroupName=1*',
  PodCondition: `
    type=1! status=2! lastProbeTime=3:Time lastTransitionTime=4:Time reason=5 message=6
    observedGeneration=7:int64`,
  ContainerStatus: `
    name=1! state=2:ContainerState lastState=3:ContainerState ready=4:bool!
    restartCount=5:int32! image=6! imageID=7! containerID=8 started=9:bool*
    allocatedResources=10:map<Quantity> resources=11:ResourceRequirements
    volumeMounts=12:VolumeMountStatus[] user=13:ContainerUser
    allocatedResourcesStatus=14:ResourceStatus[] stopSignal=15*`,
  PodIP: 'ip=1!',
  PodResourceClaimStatus: 'name=1! resourceClaimName=2*',
  HostIP: 'ip=1!',
  PodExtendedResourceClaimStatus: `
    requestMappings=1:ContainerExtendedResourceRequest[] resourceClaimName=2!`,
  NodeAllocatableResourceClaimStatus: `
    resourceClaimName=1! containers=2[] resources=3:map<Quantity>`,
  Sysctl: 'name=1! value=2!',
  NodeAffinity: `
    requiredDuringSchedulingIgnoredDuringExecution=1:NodeSelector
    preferredDuringSchedulingIgnoredDuringExecution=2:PreferredSchedulingTerm[]`,
  PodAffinity: `
    requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[]
    preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]`,
  PodAntiAffinity: `
    requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[]
    preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]`,
  PodDNSConfigOption: 'name=1 value=2*',
  ContainerState: `
    waiting=1:ContainerStateWaiting running=2:ContainerStateRunning
    terminated=3:ContainerStateTerminated`,
  VolumeMountStatus: `
    name=1! mountPath=2! readOnly=3:bool recursiveReadOnly=4* volumeStatus=5:VolumeStatus`,
  ContainerUser: 'linux=1:LinuxContainerUser',
  ResourceStatus: 'name=1! resources=2:ResourceHealth[]',
  ContainerExtendedResourceRequest: 'containerName=1! resourceName=2! requestName=3!',
  NodeSelector: 'nodeSelectorTerms=1:NodeSelectorTerm[]',
  PreferredSchedulingTerm: 'weight=1:int32! preference=2:NodeSelectorTerm',
  PodAffinityTerm: `
    labelSelector=1:meta.LabelSelector namespaces=2[] topologyKey=3!
    namespaceSelector=4:meta.LabelSelector matchLabelKeys=5[] mismatchLabelKeys=6[]`,
  WeightedPodAffinityTerm: 'weight=1:int32! podAffinityTerm=2:PodAffinityTerm',
  ContainerStateWaiting: 'reason=1 message=2',
  ContainerStateRunning: 'startedAt=1:Time',
  ContainerStateTerminated: `
    exitCode=1:int32! signal=2:int32 reason=3 message=4 startedAt=5:Time finishedAt=6:Time
    containerID=7`,
  VolumeStatus: 'image=1:ImageVolumeStatus',
  LinuxContainerUser: 'uid=1:int64! gid=2:int64! supplementalGroups=3:int64[]',
  ResourceHealth: 'resourceID=1! health=2 message=6*',
  NodeSelectorTerm: `
    matchExpressions=1:NodeSelectorRequirement[] matchFields=2:NodeSelectorRequirement[]`,
  ImageVolumeStatus: 'imageRef=1',
  NodeSelectorRequirement: 'key=1! operator=2! values=3[]',
};
