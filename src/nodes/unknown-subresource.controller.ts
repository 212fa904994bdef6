// Any subresource of a node that no controller serves: 404, after the guards, as kube-apiserver answers for an
// unknown subresource. Nest registers routes module by module in the order it finds them (an importer before what it
// imports), so AppModule lists RestartsModule before NodesModule: this route must come after every other one.
import { All, Controller } from '@nestjs/common';
import { StatusError, notFound } from '../apiserver/status.js';

@Controller('apis/:group/:version/nodes/:name')
export class UnknownSubresourceController {
  @All(':subresource')
  unknownSubresource(): never {
    throw new StatusError(notFound());
  }
}
