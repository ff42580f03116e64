// The part of unzipper (exceljs's own zip library) the import uses: a zip's central directory.
declare module 'unzipper' {
  interface CentralDirectoryEntry {
    path: string;
    compressedSize: number;
    uncompressedSize: number;
  }
  const unzipper: {
    Open: { file(path: string): Promise<{ files: CentralDirectoryEntry[] }> };
  };
  export default unzipper;
}
