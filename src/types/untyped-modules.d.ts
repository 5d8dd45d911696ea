// natural's root import pulls in database back-ends; the parts we use are typed here.
declare module "natural/lib/natural/stemmers/porter_stemmer.js" {
  const PorterStemmer: { stem(word: string): string };
  export default PorterStemmer;
}

// vader-sentiment ships no types; only the polarity call is used (by the benches).
declare module "vader-sentiment" {
  const vader: { SentimentIntensityAnalyzer: { polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number } } };
  export default vader;
}
