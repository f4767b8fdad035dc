/**
 * PNG files built here from the specification (W3C PNG, 2nd edition, sections 5 and 11),
 * not by the code under test, so tests of the `png` option have an independent reference.
 */
import { crc32, deflateSync } from 'node:zlib';

/** A chunk: length, type, data, CRC-32 of type and data (section 5.3). */
export function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The 13 data bytes of an IHDR chunk (section 11.2.2). */
export function ihdrData(width: number, height: number, bitDepth = 8, colourType = 6, interlace = 0): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.writeUInt8(bitDepth, 8);
  data.writeUInt8(colourType, 9);
  data.writeUInt8(0, 10); // compression method 0: deflate
  data.writeUInt8(0, 11); // filter method 0: adaptive
  data.writeUInt8(interlace, 12);
  return data;
}

/** A valid 1×1 RGBA PNG: one opaque red pixel. */
export const ONE_PIXEL_PNG = Buffer.concat([
  PNG_SIGNATURE,
  pngChunk('IHDR', ihdrData(1, 1)),
  pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0, 255]))),
  pngChunk('IEND', Buffer.alloc(0)),
]);
