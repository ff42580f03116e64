// The part of unzipper (exceljs's own zip library) the import uses: a zip's central directory, and
// the streaming parser exceljs reads a workbook with (its entries in file order, each a stream).
declare module 'unzipper' {
  interface CentralDirectoryEntry {
    path: string;
    compressedSize: number;
    uncompressedSize: number;
  }
  export interface ZipEntry extends NodeJS.ReadableStream {
    path: string;
    type: 'File' | 'Directory';
  }
  const unzipper: {
    Open: { file(path: string): Promise<{ files: CentralDirectoryEntry[] }> };
    /** `forceStream`: the entries are the stream's objects (what exceljs uses). */
    Parse(options: { forceStream: true }): NodeJS.ReadWriteStream;
  };
  export default unzipper;
}
