// Compiling @lakestream/sink from source (the `@lakestream/source` condition) needs its ambient
// declaration for snappyjs, which only sink's own tsconfig includes. Until sink references it from
// parquet-int96.ts (`/// <reference path="./snappyjs.d.ts" />`), projects importing sink pull it in here.
/// <reference path="../../../../libs/sink/src/data/snappyjs.d.ts" />
