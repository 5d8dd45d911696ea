// natural's root import pulls in database back-ends; the parts we use are typed here.
declare module "natural/lib/natural/stemmers/porter_stemmer.js" {
  const PorterStemmer: { stem(word: string): string };
  export default PorterStemmer;
}

// vader-sentiment ships no types; only the polarity call is used (by the benches).
declare module "vader-sentiment" {
  const vader: {
    SentimentIntensityAnalyzer: {
      polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
    };
  };
  export default vader;
}

// ml.js logistic regression (bench/learn-compare.ts only): one-vs-rest over ml-matrix matrices.
declare module "ml-logistic-regression" {
  import type { Matrix } from "ml-matrix";
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    classifiers: unknown[];
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
  }
}
