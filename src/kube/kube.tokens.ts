// Dependency-injection tokens for the Kubernetes clients, so tests and modules ask for roles, not files.
export const KUBE_CONFIG = Symbol('KUBE_CONFIG');
export const AUTHENTICATION_KUBE_CONFIG = Symbol('AUTHENTICATION_KUBE_CONFIG');
export const AUTHORIZATION_KUBE_CONFIG = Symbol('AUTHORIZATION_KUBE_CONFIG');
export const CORE_API = Symbol('CORE_API');
export const AUTHENTICATION_API = Symbol('AUTHENTICATION_API');
export const AUTHORIZATION_API = Symbol('AUTHORIZATION_API');
export const AUTH_CORE_API = Symbol('AUTH_CORE_API');
export const COORDINATION_API = Symbol('COORDINATION_API');
