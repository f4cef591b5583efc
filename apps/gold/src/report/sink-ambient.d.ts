// Compiling @lakestream/sink from source (the `@lakestream/source` condition) needs its ambient
// declaration for snappyjs, which only sink's own tsconfig includes. Until sink's parquet-int96.ts
// references that file itself, projects importing sink pull it in here.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module file cannot be imported; temporary
/// <reference path="../../../../libs/sink/src/data/snappyjs.d.ts" />
