// The fields of metav1.ObjectMeta (k8s.io/apimachinery/pkg/apis/meta/v1/types.go): any other key in an object's
// `metadata` is an unknown field to strict decoding (`unknown field "metadata.foo"`).
export const OBJECT_META_FIELDS: ReadonlySet<string> = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);
