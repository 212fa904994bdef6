/** Minimal XML writing for EC2 responses. Strings passed as children are already XML; values go through text(). */
export type Xml = string;

const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export function escapeXml(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`,
  );
}

export function element(name: string, ...children: (Xml | undefined)[]): Xml {
  const content = children.filter((c) => c !== undefined).join('');
  return content === '' ? `<${name}/>` : `<${name}>${content}</${name}>`;
}

/** A leaf element with an escaped value. */
export function text(name: string, value: string | number | boolean): Xml {
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Like text(), but omitted when there is no value. */
export function optionalText(name: string, value: string | undefined): Xml | undefined {
  return value === undefined ? undefined : text(name, value);
}

/** EC2's list shape: <name><item>..</item><item>..</item></name>. */
export function itemSet<T>(name: string, list: readonly T[], render: (item: T) => Xml[]): Xml {
  return element(name, ...list.map((item) => element('item', ...render(item))));
}

/** `<{Action}Response>` with a lower-case requestId and no Result wrapper, as EC2 answers. */
export function successEnvelope(action: string, requestId: string, children: (Xml | undefined)[]): Xml {
  return `${DECLARATION}<${action}Response xmlns="${EC2_NAMESPACE}">${text('requestId', requestId)}${children.filter((c) => c !== undefined).join('')}</${action}Response>`;
}

/** EC2's error envelope; note the upper-case RequestID. */
export function errorEnvelope(code: string, message: string, requestId: string): Xml {
  const error = element('Error', text('Code', code), text('Message', message));
  return `${DECLARATION}<Response>${element('Errors', error)}${text('RequestID', requestId)}</Response>`;
}
