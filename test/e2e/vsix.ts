/**
 * Build a minimal .vsix (a zip with extension.vsixmanifest + extension/**) from in-memory files.
 * Used to test the harness's VSIX install path with a dummy extension; the real Charter VSIX
 * comes from the project's packaging step.
 */
import { crc32 } from 'node:zlib';
import { writeFileSync } from 'node:fs';

/** Store-only (uncompressed) zip writer; enough for VS Code's VSIX reader. */
export function zip(files: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const fname = Buffer.from(name, 'utf8');
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time/date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fname.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fname, data);
    centrals.push(central, fname);
    offset += local.length + fname.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export interface VsixSpec {
  /** The extension's package.json (needs name, publisher, version, engines.vscode). */
  packageJson: { name: string; publisher: string; version: string; engines: { vscode: string }; [k: string]: unknown };
  /** Other files, relative to the extension root (e.g. { 'extension.js': '...' }). */
  files?: Record<string, string | Buffer>;
}

/** Write a VSIX to `outFile` and return its path. */
export function makeVsix(outFile: string, spec: VsixSpec): string {
  const p = spec.packageJson;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const manifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${esc(p.name)}" Version="${esc(p.version)}" Publisher="${esc(p.publisher)}" />
    <DisplayName>${esc(String(p.displayName ?? p.name))}</DisplayName>
    <Description xml:space="preserve">${esc(String(p.description ?? ''))}</Description>
    <Categories>Other</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${esc(p.engines.vscode)}" />
    </Properties>
  </Metadata>
  <Installation><InstallationTarget Id="Microsoft.VisualStudio.Code"/></Installation>
  <Dependencies/>
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;
  const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension=".json" ContentType="application/json"/><Default Extension=".js" ContentType="application/javascript"/><Default Extension=".vsixmanifest" ContentType="text/xml"/></Types>
`;
  const files: Record<string, string | Buffer> = {
    '[Content_Types].xml': contentTypes,
    'extension.vsixmanifest': manifest,
    'extension/package.json': JSON.stringify(p, null, 2),
  };
  for (const [name, content] of Object.entries(spec.files ?? {})) files[`extension/${name}`] = content;
  writeFileSync(outFile, zip(files));
  return outFile;
}
